// Status and Result<T> moved to the platform library (onecard/platform/status.h), the bottom layer
// that every other library may use. This header stays so that existing includes keep working.
#pragma once

#include "onecard/platform/status.h"
