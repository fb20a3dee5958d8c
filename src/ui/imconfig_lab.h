// Dear ImGui configuration (IMGUI_USER_CONFIG). ImGui's own consistency checks stay on in release
// builds but report instead of aborting: the app logs and keeps running, and the UI smoke test
// fails on any report (tests read imgui_assert_count()).
#pragma once

void imgui_assert_failed(const char* expr, const char* file, int line);
int imgui_assert_count();

#define IM_ASSERT(_EXPR) ((_EXPR) ? (void)0 : imgui_assert_failed(#_EXPR, __FILE__, __LINE__))
typedef unsigned int ImDrawIdx32;
#define ImDrawIdx ImDrawIdx32  // 32-bit indices: big scatter plots fit one draw list (WebGL 2 supports them)
