// Compiles the implementation of <calibra/reports/escape.hpp> once into the library.
#include <calibra/reports/escape-inl.hpp>
