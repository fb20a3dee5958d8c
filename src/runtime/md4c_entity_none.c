/* md4c-html's entity table (entity.c, 2,125 named entities) costs ~60 KB of wasm, and the mirror
 * does not need it: markdown_to_html renders with MD_HTML_FLAG_VERBATIM_ENTITIES, so "&mdash;"
 * reaches the page as written and the browser decodes it. md4c-html still links against the
 * lookup, which that flag never calls; this stands in for it. */
#include "entity.h"

const struct entity* entity_lookup(const char* name, size_t name_size) {
  (void)name;
  (void)name_size;
  return NULL;
}
