#include "error_messages.h"

#include <gtest/gtest.h>

namespace {

using nst::ErrorCode;
using nst_plugin::Reader;

TEST(ErrorMessages, EveryFailureHasASentence) {
  for (int code = static_cast<int>(ErrorCode::invalid_argument);
       code <= static_cast<int>(ErrorCode::internal); ++code) {
    EXPECT_FALSE(nst_plugin::error_sentence(static_cast<ErrorCode>(code), Reader::dialog).empty())
        << "code " << code;
    EXPECT_FALSE(nst_plugin::error_sentence(static_cast<ErrorCode>(code), Reader::script).empty())
        << "code " << code;
  }
  EXPECT_TRUE(nst_plugin::error_sentence(ErrorCode::ok, Reader::dialog).empty());
}

TEST(ErrorMessages, TheMessageEndsWithTheEnginesDetail) {
  const std::string message = nst_plugin::error_message(
      nst::Status::error(ErrorCode::corrupt_file, "/w/vgg19.pth: truncated zip"), Reader::dialog);
  EXPECT_EQ(message.rfind("/w/vgg19.pth: truncated zip"), message.size() - 27);
  EXPECT_NE(message.find("damaged"), std::string::npos) << message;
}

TEST(ErrorMessages, CudaAndMemoryErrorsSayWhatToDo) {
  EXPECT_NE(nst_plugin::error_sentence(ErrorCode::device_unavailable, Reader::dialog).find("CPU"),
            std::string::npos);
  EXPECT_NE(
      nst_plugin::error_sentence(ErrorCode::out_of_memory, Reader::dialog).find("memory limit"),
      std::string::npos);
}

TEST(ErrorMessages, WeightsAdviceUsesTheReadersWords) {
  // The dialog's field for the dialog, the argument's name for scripts.
  for (ErrorCode code :
       {ErrorCode::file_not_found, ErrorCode::corrupt_file, ErrorCode::download_failed}) {
    EXPECT_NE(nst_plugin::error_sentence(code, Reader::dialog).find("\"Weights file\""),
              std::string::npos);
    const std::string script = nst_plugin::error_sentence(code, Reader::script);
    EXPECT_NE(script.find("weights-file argument"), std::string::npos) << script;
    EXPECT_EQ(script.find("\"Weights file\""), std::string::npos) << script;
  }
}

} // namespace
