// Compiles the implementation of <calibra/agreement/pairwise.hpp> once into the library.
#include <calibra/agreement/pairwise-inl.hpp>
