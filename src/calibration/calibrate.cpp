// Compiles the implementation of <calibra/calibration/calibrate.hpp> once into the library.
#include <calibra/calibration/calibrate-inl.hpp>
