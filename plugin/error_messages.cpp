#include "error_messages.h"

#include "nst-i18n.h"

namespace nst_plugin {

std::string error_sentence(nst::ErrorCode code, Reader reader) {
  using nst::ErrorCode;
  switch (code) {
  case ErrorCode::ok: return {};
  case ErrorCode::invalid_argument:
    return _("A setting of Neural Style Transfer is out of range; check the values in the dialog "
             "or the arguments of the call.");
  case ErrorCode::file_not_found:
    if (reader == Reader::script)
      return _("A file was not found. If it is the VGG19 weights file, give an existing file as "
               "the weights-file argument, or leave it empty to download the weights on first "
               "use.");
    return _("A file was not found. If it is the VGG19 weights file, choose an existing file as "
             "\"Weights file\", or leave it empty to download the weights on first use.");
  case ErrorCode::file_unreadable:
    return _("A file could not be read. Check that it exists and that you may read it.");
  case ErrorCode::not_a_weights_file:
    return _("The weights file is not a VGG19 weights file. Choose torchvision's vgg19 .pth file "
             "or a .safetensors file with the same tensors.");
  case ErrorCode::corrupt_file:
    if (reader == Reader::script)
      return _("The weights file is damaged or incomplete. Download it again, or leave the "
               "weights-file argument empty to download it on first use.");
    return _("The weights file is damaged or incomplete. Download it again, or leave \"Weights "
             "file\" empty to download it on first use.");
  case ErrorCode::unsupported:
    return _("The weights file uses a format or data type that is not supported. Save it again "
             "with PyTorch (torch.save of a plain dict of tensors) or as .safetensors.");
  case ErrorCode::missing_key:
  case ErrorCode::shape_mismatch:
    return _("The weights file does not hold the VGG19 network this filter needs "
             "(features.0 to features.34).");
  case ErrorCode::checksum_mismatch:
    return _("The downloaded weights file differs from the published one; it was not used. "
             "Try again later.");
  case ErrorCode::download_failed:
    if (reader == Reader::script)
      return _("The VGG19 weights could not be downloaded. Check the network connection, or "
               "download the file yourself and give it as the weights-file argument.");
    return _("The VGG19 weights could not be downloaded. Check the network connection, or "
             "download the file yourself and choose it as \"Weights file\".");
  case ErrorCode::disk_full: return _("There is not enough disk space to store the VGG19 weights.");
  case ErrorCode::device_unavailable:
    return _("The chosen device is not available: CUDA was asked for, but no usable NVIDIA GPU "
             "was found. Choose \"Automatic\" or \"CPU\" as device.");
  case ErrorCode::out_of_memory:
    return _("The image is too large for the memory limit. Lower the processing size, or raise "
             "the memory limit.");
  case ErrorCode::cancelled: return _("Neural Style Transfer was cancelled.");
  case ErrorCode::internal:
    return _("Neural Style Transfer failed unexpectedly. Please report this as a bug, with the "
             "details below.");
  }
  return _("Neural Style Transfer failed.");
}

std::string error_message(const nst::Status &status, Reader reader) {
  std::string message = error_sentence(status.code, reader);
  if (!status.message.empty()) {
    if (!message.empty())
      message += "\n";
    message += status.message;
  }
  return message;
}

} // namespace nst_plugin
