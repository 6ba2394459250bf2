// Compiles the implementation of <calibra/agreement/multi_rater.hpp> once into the library.
#include <calibra/agreement/multi_rater-inl.hpp>
