// Compiles the implementation of <calibra/calibration/development.hpp> once into the library.
#include <calibra/calibration/development-inl.hpp>
