#include "core/losses.h"

#include "core/matrix_product.h"

#include <algorithm>

namespace nst {
namespace {

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

bool is_channels_last(const torch::Tensor &f) {
  return f.is_contiguous(torch::MemoryFormat::ChannelsLast) && !f.is_contiguous();
}

// The features as a matrix without copying: HW x C for channels-last
// storage, otherwise C x HW ("transposed").
torch::Tensor feature_matrix(const torch::Tensor &f, bool &transposed) {
  const auto c = f.size(1), h = f.size(2), w = f.size(3);
  transposed = !is_channels_last(f);
  if (!transposed)
    return f.permute({0, 2, 3, 1}).reshape({h * w, c});
  return f.reshape({c, h * w});
}

// On the CPU through matrix_product, which reads bfloat16 features without
// a float32 copy (their products are exact in float32).
bool uses_matrix_product(const torch::Tensor &m) {
  return m.is_cpu() && (m.scalar_type() == torch::kFloat32 || m.scalar_type() == torch::kBFloat16);
}

torch::Tensor gram_of_matrix(const torch::Tensor &m, bool transposed, double norm) {
  if (uses_matrix_product(m)) {
    const auto c = m.size(transposed ? 0 : 1);
    torch::Tensor gram = torch::empty({c, c}, m.options().dtype(torch::kFloat32));
    matrix_product(transposed ? m : m.t(), transposed ? m.t() : m, gram, float(norm));
    return gram;
  }
  const torch::Tensor m32 = m.to(loss_dtype(m));
  return (transposed ? torch::mm(m32, m32.t()) : torch::mm(m32.t(), m32)) * norm;
}

// dL/dF for L = mean((F F^T / values - A)^2) given D = G - A: dL/dG =
// 2 D / C^2 is symmetric, so dL/dF = 2 dL/dG F / values = D F * `scale`
// (scale = 4 / (C^2 values), times the incoming gradient), in the
// features' dtype and layout.
torch::Tensor feature_gradient(const torch::Tensor &features, const torch::Tensor &difference,
                               const torch::Tensor &scale) {
  const torch::Tensor coefficient = (difference * scale).to(features.scalar_type());
  bool transposed = false;
  const torch::Tensor m = feature_matrix(features, transposed);
  if (transposed)
    return torch::mm(coefficient, m).view(features.sizes());
  torch::Tensor product; // HW x C: channels-last storage
  if (m.scalar_type() == torch::kFloat32 && uses_matrix_product(m)) {
    product = torch::empty({m.size(0), m.size(1)}, m.options());
    matrix_product(m, coefficient, product);
  } else {
    product = torch::mm(m, coefficient);
  }
  return product.view({1, features.size(2), features.size(3), features.size(1)})
      .permute({0, 3, 1, 2});
}

// Both style losses save the features and G - A, and the scale.
variable_list style_backward(AutogradContext *ctx, const variable_list &grad_outputs) {
  const auto saved = ctx->get_saved_variables();
  return {
      feature_gradient(saved[0], saved[1], grad_outputs[0] * ctx->saved_data["scale"].toDouble()),
      torch::Tensor(), torch::Tensor()};
}

class StyleLoss : public torch::autograd::Function<StyleLoss> {
public:
  // mean((F F^T / values - target)^2).
  static torch::Tensor forward(AutogradContext *ctx, const torch::Tensor &features,
                               const torch::Tensor &target, double values) {
    const auto c = features.size(1);
    const double norm = 1.0 / values;
    bool transposed = false;
    const torch::Tensor m = feature_matrix(features, transposed);
    const torch::Tensor diff = gram_of_matrix(m, transposed, norm) - target;
    ctx->save_for_backward({features, diff});
    ctx->saved_data["scale"] = 4.0 * norm / static_cast<double>(c * c);
    return diff.square().mean();
  }

  static variable_list backward(AutogradContext *ctx, variable_list grad_outputs) {
    return style_backward(ctx, grad_outputs);
  }
};

// The same backward pass for a part whose loss is the whole image's: the
// forward pass only saves what it needs (the loss is known from the whole).
class PartStyleLoss : public torch::autograd::Function<PartStyleLoss> {
public:
  static torch::Tensor forward(AutogradContext *ctx, const torch::Tensor &features,
                               const torch::Tensor &difference, double values) {
    const auto c = features.size(1);
    ctx->save_for_backward({features, difference});
    ctx->saved_data["scale"] = 4.0 / values / static_cast<double>(c * c);
    return torch::zeros({}, difference.options());
  }

  static variable_list backward(AutogradContext *ctx, variable_list grad_outputs) {
    return style_backward(ctx, grad_outputs);
  }
};

} // namespace

torch::ScalarType loss_dtype(const torch::Tensor &t) {
  return t.scalar_type() == torch::kFloat64 ? torch::kFloat64 : torch::kFloat32;
}

torch::Tensor gram_matrix(const torch::Tensor &features) {
  bool transposed = false;
  const torch::Tensor m = feature_matrix(features, transposed);
  return gram_of_matrix(m, transposed, 1.0 / static_cast<double>(features.numel()));
}

torch::Tensor style_loss(const torch::Tensor &features, const torch::Tensor &target) {
  return StyleLoss::apply(features, target, double(features.numel()));
}

torch::Tensor style_loss(const torch::Tensor &features, const torch::Tensor &target,
                         double values) {
  return StyleLoss::apply(features, target, values);
}

torch::Tensor style_loss_gradient_of_part(const torch::Tensor &features,
                                          const torch::Tensor &difference, double values) {
  return PartStyleLoss::apply(features, difference, values);
}

torch::Tensor mean_squared_error(const torch::Tensor &value, const torch::Tensor &target) {
  return (value.to(loss_dtype(value)) - target).square().mean();
}

namespace {

// The two terms of total variation before their means: the squared
// differences of every vertical pair in `rows` (each row with the one below)
// and of every horizontal pair in its first `own_rows` rows, summed.
struct SquaredDifferences {
  torch::Tensor vertical, horizontal;
};

SquaredDifferences squared_differences(const torch::Tensor &rows, std::int64_t own_rows) {
  using torch::indexing::None;
  using torch::indexing::Slice;
  const torch::Tensor own = rows.index({Slice(), Slice(), Slice(0, own_rows)});
  const torch::Tensor dy =
      rows.index({Slice(), Slice(), Slice(1, None)}) - rows.index({Slice(), Slice(), Slice(0, -1)});
  const torch::Tensor dx = own.index({Slice(), Slice(), Slice(), Slice(1, None)}) -
                           own.index({Slice(), Slice(), Slice(), Slice(0, -1)});
  return {dy.square().sum(), dx.square().sum()};
}

// The means' counts: vertical and horizontal pairs in the whole image.
double vertical_pairs(const torch::Tensor &image) {
  return double(image.size(1)) * double(image.size(2) - 1) * double(image.size(3));
}

double horizontal_pairs(const torch::Tensor &image) {
  return double(image.size(1)) * double(image.size(2)) * double(image.size(3) - 1);
}

} // namespace

torch::Tensor total_variation(const torch::Tensor &image) {
  const SquaredDifferences sums = squared_differences(image, image.size(2));
  return sums.vertical / vertical_pairs(image) + sums.horizontal / horizontal_pairs(image);
}

double add_total_variation_gradient(const torch::Tensor &image, double weight,
                                    torch::Tensor &gradient, std::int64_t strip_values) {
  using torch::indexing::Slice;
  const std::int64_t channels = image.size(1), height = image.size(2), width = image.size(3);
  const std::int64_t rows = std::max<std::int64_t>(1, strip_values / (channels * width));
  const double vertical = vertical_pairs(image), horizontal = horizontal_pairs(image);
  double value = 0;
  for (std::int64_t first = 0; first < height; first += rows) {
    const std::int64_t last = std::min(height, first + rows);
    // The strip's rows and the row below them: each vertical pair belongs
    // to the strip of its upper row, so every pair counts once.
    const std::int64_t end = std::min(height, last + 1);
    const torch::Tensor strip =
        image.index({Slice(), Slice(), Slice(first, end)}).detach().requires_grad_(true);
    const SquaredDifferences sums = squared_differences(strip, last - first);
    const torch::Tensor part = sums.vertical / vertical + sums.horizontal / horizontal;
    value += part.item<double>();
    if (weight == 0)
      continue;
    (weight * part).backward();
    torch::NoGradGuard no_grad;
    gradient.index({Slice(), Slice(), Slice(first, end)}).add_(strip.grad());
  }
  return value;
}

} // namespace nst
