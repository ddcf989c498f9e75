#pragma once
// The parts of LibTorch the engine and its tests use: tensors and their
// operators, autograd, the CUDA queries and the grad-mode guards. Not
// <torch/torch.h>: its nn, data, jit and serialize parts made every
// translation unit load a 750 MB precompiled header instead of 520 MB, about
// 8 s more per file (2026-12-08). A file that needs an optimiser includes it
// itself (<torch/optim/adam.h>).
#include <torch/autograd.h>
#include <torch/cuda.h>
#include <torch/types.h>
#include <torch/utils.h>
