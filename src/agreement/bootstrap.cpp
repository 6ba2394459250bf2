// Compiles the implementation of <calibra/agreement/bootstrap.hpp> once into the library.
#include <calibra/agreement/bootstrap-inl.hpp>
