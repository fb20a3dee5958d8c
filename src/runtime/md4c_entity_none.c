/* md4c-html's entity table (entity.c, 2,125 named entities) costs ~60 KB of wasm, and the mirror
 * does not need it: markdown_to_html renders with MD_HTML_FLAG_VERBATIM_ENTITIES, so "&mdash;"
 * reaches the page as written and the browser decodes it. md4c-html still links against the
 * lookup, which that flag never calls; this stands in for it. */
#include "entity.h"

/* The entry's type is `struct entity` in md4c 0.4 and `ENTITY` (struct ENTITY_tag) from 0.5 on;
 * src/CMakeLists.txt reads entity.h and defines LAB_MD4C_ENTITY_TYPEDEF for the latter. */
#ifdef LAB_MD4C_ENTITY_TYPEDEF
typedef ENTITY lab_md4c_entity;
#else
typedef struct entity lab_md4c_entity;
#endif

const lab_md4c_entity* entity_lookup(const char* name, size_t name_size) {
  (void)name;
  (void)name_size;
  return NULL;
}
