// Compiles the implementation of <calibra/agreement/categories.hpp> once into the library.
#include <calibra/agreement/categories-inl.hpp>
