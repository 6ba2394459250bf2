// Compiles the implementation of <calibra/framework/ladder.hpp> once into the library.
#include <calibra/framework/ladder-inl.hpp>
