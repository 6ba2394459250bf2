// Compiles the implementation of <calibra/framework/relative.hpp> once into the library.
#include <calibra/framework/relative-inl.hpp>
