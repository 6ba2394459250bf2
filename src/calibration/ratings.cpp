// Compiles the implementation of <calibra/calibration/ratings.hpp> once into the library.
#include <calibra/calibration/ratings-inl.hpp>
