#include "error_messages.h"

#include <gtest/gtest.h>

namespace {

using nst::ErrorCode;

TEST(ErrorMessages, EveryFailureHasASentence) {
  for (int code = static_cast<int>(ErrorCode::invalid_argument);
       code <= static_cast<int>(ErrorCode::internal); ++code) {
    EXPECT_FALSE(nst_plugin::error_sentence(static_cast<ErrorCode>(code)).empty())
        << "code " << code;
  }
  EXPECT_TRUE(nst_plugin::error_sentence(ErrorCode::ok).empty());
}

TEST(ErrorMessages, TheMessageEndsWithTheEnginesDetail) {
  const std::string message = nst_plugin::error_message(
      nst::Status::error(ErrorCode::corrupt_file, "/w/vgg19.pth: truncated zip"));
  EXPECT_EQ(message.rfind("/w/vgg19.pth: truncated zip"), message.size() - 27);
  EXPECT_NE(message.find("damaged"), std::string::npos) << message;
}

TEST(ErrorMessages, CudaAndMemoryErrorsSayWhatToDo) {
  EXPECT_NE(nst_plugin::error_sentence(ErrorCode::device_unavailable).find("CPU"),
            std::string::npos);
  EXPECT_NE(nst_plugin::error_sentence(ErrorCode::out_of_memory).find("memory limit"),
            std::string::npos);
}

} // namespace
