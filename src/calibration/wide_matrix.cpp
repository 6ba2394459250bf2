// Compiles the implementation of <calibra/calibration/wide_matrix.hpp> once into the library.
#include <calibra/calibration/wide_matrix-inl.hpp>
