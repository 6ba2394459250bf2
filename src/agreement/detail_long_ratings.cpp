// Compiles the implementation of <calibra/agreement/detail/long_ratings.hpp> once into the library.
#include <calibra/agreement/detail/long_ratings-inl.hpp>
