// Compiles the implementation of <calibra/agreement/mergeable.hpp> once into the library.
#include <calibra/agreement/mergeable-inl.hpp>
