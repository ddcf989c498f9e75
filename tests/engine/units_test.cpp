#include "nst/units.h"

#include <gtest/gtest.h>

#include <cmath>

namespace {

TEST(Duration, MinutesSecondsAndHours) {
  EXPECT_EQ(nst::duration_text(0.0), "0:00");
  EXPECT_EQ(nst::duration_text(7.4), "0:07");
  EXPECT_EQ(nst::duration_text(725.0), "12:05");
  EXPECT_EQ(nst::duration_text(3723.0), "1:02:03");
}

TEST(Duration, UnknownIsAQuestionMark) {
  EXPECT_EQ(nst::duration_text(-1.0), "?");
  EXPECT_EQ(nst::duration_text(std::nan("")), "?");
  EXPECT_EQ(nst::duration_text(INFINITY), "?");
}

TEST(Megabytes, RoundedTenToTheSix) {
  EXPECT_EQ(nst::megabytes(574673361), 575);
  EXPECT_EQ(nst::megabytes(499999), 0);
  EXPECT_EQ(nst::megabytes(500000), 1);
}

} // namespace
