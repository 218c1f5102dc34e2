// Tr() and the user's language moved to the platform library (onecard/platform/i18n.h), the bottom
// layer that every other library may use. This header stays so that existing includes keep working.
#pragma once

#include "onecard/platform/i18n.h"
