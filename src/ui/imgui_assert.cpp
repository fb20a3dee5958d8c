// Compiled into lab_imgui, not lab_ui (see src/CMakeLists.txt): the handler behind IM_ASSERT.
#include <cstdio>

#include "ui/imconfig_lab.h"

static int g_imgui_asserts = 0;

void imgui_assert_failed(const char* expr, const char* file, int line) {
  if (++g_imgui_asserts <= 20) std::fprintf(stderr, "embedlab: Dear ImGui check failed: %s (%s:%d)\n", expr, file, line);
}

int imgui_assert_count() { return g_imgui_asserts; }
