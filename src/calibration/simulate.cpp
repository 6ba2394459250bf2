// Compiles the implementation of <calibra/calibration/simulate.hpp> once into the library.
#include <calibra/calibration/simulate-inl.hpp>
