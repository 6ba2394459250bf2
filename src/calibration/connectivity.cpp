// Compiles the implementation of <calibra/calibration/connectivity.hpp> once into the library.
#include <calibra/calibration/connectivity-inl.hpp>
