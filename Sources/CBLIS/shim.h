#include <blis.h>
