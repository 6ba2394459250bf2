// Compiles the implementation of <calibra/calibration/severity.hpp> once into the library.
#include <calibra/calibration/severity-inl.hpp>
