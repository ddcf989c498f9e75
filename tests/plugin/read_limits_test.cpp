// Sizes are checked before the plug-in reads pixels from GIMP.
#include "read_limits.h"

#include <gtest/gtest.h>

namespace {

using nst_plugin::read_refusal;

constexpr std::size_t kMiB = std::size_t{1} << 20;

TEST(ReadLimits, WhatFitsIsRead) {
  EXPECT_EQ(read_refusal("Background", 640, 480, 4096 * kMiB), "");
  EXPECT_EQ(read_refusal("Background", 30000, 1, 4096 * kMiB), "");
}

TEST(ReadLimits, ASideBeyondTheEnginesLimitIsRefusedByName) {
  const std::string refusal = read_refusal("Panorama", 30001, 2, 4096 * kMiB);
  EXPECT_NE(refusal.find("Panorama"), std::string::npos) << refusal;
  EXPECT_NE(refusal.find("30000"), std::string::npos) << refusal;
  // GIMP's largest layers: no overflow in the check.
  EXPECT_NE(read_refusal("Huge", 524288, 524288, 4096 * kMiB), "");
}

TEST(ReadLimits, AFloatCopyBeyondTheMemoryLimitIsRefused) {
  // 4096 x 4096 float RGBA is 268 MB, over 128 MiB.
  const std::string refusal = read_refusal("Large", 4096, 4096, 128 * kMiB);
  EXPECT_NE(refusal.find("memory limit"), std::string::npos) << refusal;
  EXPECT_NE(refusal.find("268 MB"), std::string::npos) << refusal;
  EXPECT_EQ(read_refusal("Large", 4096, 4096, 512 * kMiB), "");
}

TEST(ReadLimits, TheLimitBoundsTheSumOfWhatARunReads) {
  // Three 268 MB styles under 700 MiB: each fits alone, the third not after two.
  const std::uint64_t one = nst_plugin::read_bytes(4096, 4096);
  EXPECT_EQ(one, std::uint64_t{4096} * 4096 * 16);
  EXPECT_EQ(read_refusal("Second", 4096, 4096, 700 * kMiB, one), "");
  const std::string refusal = read_refusal("Third", 4096, 4096, 700 * kMiB, 2 * one);
  EXPECT_NE(refusal.find("Third"), std::string::npos) << refusal;
  EXPECT_NE(refusal.find("537 MB"), std::string::npos) << refusal; // read before it
  EXPECT_NE(refusal.find("700 MiB"), std::string::npos) << refusal;
}

} // namespace
