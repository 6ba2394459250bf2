// Compiles the implementation of <calibra/agreement/agree.hpp> once into the library.
#include <calibra/agreement/agree-inl.hpp>
