// Compiles the implementation of <calibra/calibration/groups.hpp> once into the library.
#include <calibra/calibration/groups-inl.hpp>
