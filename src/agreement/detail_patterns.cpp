// Compiles the implementation of <calibra/agreement/detail/patterns.hpp> once into the library.
#include <calibra/agreement/detail/patterns-inl.hpp>
