// Compiles the implementation of <calibra/calibration/meets.hpp> once into the library.
#include <calibra/calibration/meets-inl.hpp>
