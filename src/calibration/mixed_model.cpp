// Compiled home of the crossed random-effects model (mixed_model.hpp).
#include <calibra/calibration/mixed_model-inl.hpp>
