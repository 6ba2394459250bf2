// Compiles the implementation of <calibra/detail/random.hpp> once into the library.
#include <calibra/detail/random-inl.hpp>
