// The engine's L-BFGS: PyTorch's own steps when started cold, and a warm
// start that lets a finer scale's first step count.
#include <torch/optim/lbfgs.h>

#include "core/torch_api.h"

#include "core/lbfgs.h"
#include "test_support.h"

#include <gtest/gtest.h>

#include <cmath>

namespace nst {
namespace {

// A smooth, non-quadratic function of 40 values with a curvature that
// differs per coordinate: sum a_i (x_i - m_i)^2 + 0.1 (x_i - m_i)^4.
torch::Tensor bumpy_loss(const torch::Tensor &x) {
  const torch::Tensor a = torch::linspace(0.5, 20.0, x.numel());
  const torch::Tensor m = torch::linspace(-1.0, 1.0, x.numel());
  const torch::Tensor d = x - m;
  return (a * d.square()).sum() + 0.1 * d.pow(4).sum();
}

TEST(Lbfgs, ColdStartTakesPyTorchsSteps) {
  torch::Tensor ours = torch::zeros({40}, torch::requires_grad());
  torch::Tensor theirs = torch::zeros({40}, torch::requires_grad());
  Lbfgs lbfgs(ours, 1.0, 5);
  torch::optim::LBFGS reference({theirs},
                                torch::optim::LBFGSOptions(1.0).max_iter(1).history_size(5));
  auto closure_for = [](torch::Tensor &x, std::function<void()> zero) {
    return [&x, zero]() {
      zero();
      torch::Tensor loss = bumpy_loss(x);
      loss.backward();
      return loss;
    };
  };
  const auto ours_step = closure_for(ours, [&] { ours.mutable_grad() = torch::Tensor(); });
  const auto theirs_step = closure_for(theirs, [&] { reference.zero_grad(); });
  for (int step = 0; step < 15; ++step) {
    lbfgs.step(ours_step);
    reference.step(theirs_step);
    const double scale = theirs.detach().abs().max().item<double>() + 1e-6;
    EXPECT_LT((ours.detach() - theirs.detach()).abs().max().item<double>(), 1e-5 * scale)
        << "step " << step + 1;
  }
  // And the steps got somewhere: past the two slow first steps.
  EXPECT_LT(bumpy_loss(ours.detach()).item<double>(),
            0.05 * bumpy_loss(torch::zeros({40})).item<double>());
}

TEST(Lbfgs, AStepTooSmallToCountIsNotTakenAsInPyTorch) {
  // Gradients near 1e-6: the first direction changes the loss by less than
  // PyTorch's 1e-9, so neither moves, and later steps do not fail.
  auto tiny = [](const torch::Tensor &x) {
    return 0.5e-6 * (x - torch::linspace(1.0, 2.0, x.numel())).square().sum();
  };
  torch::Tensor ours = torch::zeros({10}, torch::requires_grad());
  torch::Tensor theirs = torch::zeros({10}, torch::requires_grad());
  Lbfgs lbfgs(ours, 1.0, 5);
  torch::optim::LBFGS reference({theirs},
                                torch::optim::LBFGSOptions(1.0).max_iter(1).history_size(5));
  for (int step = 0; step < 4; ++step) {
    lbfgs.step([&] {
      ours.mutable_grad() = torch::Tensor();
      torch::Tensor loss = tiny(ours);
      loss.backward();
      return loss;
    });
    reference.step([&] {
      reference.zero_grad();
      torch::Tensor loss = tiny(theirs);
      loss.backward();
      return loss;
    });
    EXPECT_TRUE(torch::equal(ours.detach(), theirs.detach())) << "step " << step + 1;
  }
}

// N steps make N - 1 curvature pairs (the memory plan's history for a
// scale of N steps): remembering N - 1 takes the steps of remembering 100,
// and remembering N - 2 does not, so the last pair is used.
TEST(Lbfgs, NStepsUseAHistoryOfNMinusOne) {
  constexpr int kSteps = 8;
  const auto run = [](int history) {
    torch::Tensor x = torch::zeros({40}, torch::requires_grad());
    Lbfgs lbfgs(x, 1.0, history);
    for (int step = 0; step < kSteps; ++step)
      lbfgs.step([&] {
        x.mutable_grad() = torch::Tensor();
        torch::Tensor loss = bumpy_loss(x);
        loss.backward();
        return loss;
      });
    return x.detach();
  };
  const torch::Tensor longest = run(100);
  EXPECT_TRUE(torch::equal(run(kSteps - 1), longest));
  EXPECT_GT((run(kSteps - 2) - longest).abs().max().item<double>(), 1e-6);
}

// mean((x - m)^2) over n values: the curvature per value is 2 / n.
torch::Tensor mean_square_loss(const torch::Tensor &x) {
  return (x - torch::linspace(0.0, 1.0, x.numel())).square().mean();
}

TEST(Lbfgs, WarmStartWithTheExactCurvatureLandsInOneStep) {
  torch::Tensor x = torch::zeros({400}, torch::requires_grad());
  Lbfgs lbfgs(x, 1.0, 5, 400 / 2.0);
  lbfgs.step([&] {
    x.mutable_grad() = torch::Tensor();
    torch::Tensor loss = mean_square_loss(x);
    loss.backward();
    return loss;
  });
  EXPECT_LT(mean_square_loss(x.detach()).item<double>(), 1e-10);
}

TEST(Lbfgs, CurvatureCarriesToMorePixelsInProportion) {
  // Measured on 100 values, carried to 400: the exact 400 / 2.
  torch::Tensor x = torch::zeros({100}, torch::requires_grad());
  Lbfgs lbfgs(x, 1.0, 5);
  EXPECT_EQ(lbfgs.inverse_curvature(), 0.0);
  for (int step = 0; step < 3; ++step)
    lbfgs.step([&] {
      x.mutable_grad() = torch::Tensor();
      torch::Tensor loss = mean_square_loss(x);
      loss.backward();
      return loss;
    });
  EXPECT_NEAR(lbfgs.inverse_curvature(), 50.0, 1e-3);
  EXPECT_NEAR(inverse_curvature_at(lbfgs.inverse_curvature(), 100, 400), 200.0, 4e-3);
  EXPECT_EQ(inverse_curvature_at(0.0, 100, 400), 0.0);
  EXPECT_EQ(inverse_curvature_at(std::nan(""), 100, 400), 0.0);
}

TEST(Lbfgs, AFinerScalesFirstStepCounts) {
  // Two scales: the second starts from the first's curvature, so its first
  // step does a real share of the scale's work (PyTorch's cold first step
  // moved the picture by 1 / |g|_1 and changed the loss by under 0.1%).
  std::shared_ptr<Model> model = test::narrow_model();
  const Image content = test::synthetic_image(96, 64, 3, 0);
  const Image style = test::synthetic_image(40, 40, 3, 3);
  Options options = test::quick_options(1);
  options.scales = {48, 96};
  options.iterations_per_scale = {12, 6};
  Image result;
  RunReport report;
  ASSERT_TRUE(
      stylise(*model, content.view(), {{style.view(), 1.0f}}, options, result, {}, nullptr, &report)
          .ok());
  std::vector<double> finer;
  for (const StepRecord &step : report.steps)
    if (step.scale_index == 1)
      finer.push_back(step.total_loss);
  ASSERT_EQ(finer.size(), 6u);
  const double first_step = finer[0] - finer[1], whole_scale = finer[0] - finer.back();
  ASSERT_GT(whole_scale, 0.0);
  EXPECT_GT(first_step, 0.2 * whole_scale) << finer[0] << " " << finer[1] << " " << finer.back();
}

} // namespace
} // namespace nst
