// Scalar and matrix aliases shared by the whole core, and the one shape convention:
// rows are samples. X is (N, D) — N samples of D features — in Eigen's default column-major
// storage, so maths reads like the lecture (`X W + b`) and an (N, 2) embedding's columns are
// contiguous x and y arrays for plotting.
#pragma once

#include <Eigen/Core>

namespace lab::core {

#ifdef LAB_SCALAR_DOUBLE
using Scalar = double;
#else
using Scalar = float;
#endif

using Mat    = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic>;
using Vec    = Eigen::Matrix<Scalar, Eigen::Dynamic, 1>;
using RowVec = Eigen::Matrix<Scalar, 1, Eigen::Dynamic>;
using MatD   = Eigen::MatrixXd;
using VecD   = Eigen::VectorXd;
using Index  = Eigen::Index;

}  // namespace lab::core
