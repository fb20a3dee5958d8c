// The site's lessons, fetched at run time from the lessons/ folder beside the page (linked with
// --pre-js, so the downloads start while index.wasm is still on its way). The list comes from
// lessons/index.json (written by scripts/lesson-index.mjs), or, where there is none, from the server's
// listing of lessons/ (python3 -m http.server, Apache and nginx autoindex give one). Every listed
// lesson is fetched as bytes: C++ (src/platform/lessons_web.cpp) parses it with the same parser as a
// file on disk, so its errors read lessons/NAME.md:LINE. Nothing here runs a lesson or fetches from
// another origin: names are plain file names, images plain relative paths, all under lessons/.
// A missing or broken list, or a lesson that does not arrive, becomes one sentence the app shows.
// From lessons/index.json the lesson the page opens on (the #route's, else the first listed) comes
// first, alone: the first frame waits for it only. The others are fetched once that frame is drawn
// (Module.labLessonsFetchRest, called by src/platform/platform_web.cpp) and handed over as a second
// batch. A server listing (no index.json) gives every lesson in one batch.
Module.labLessons = { state: 'loading', files: [], images: [], error: '', ms: 0, source: '', rest: null };
// The app's main() waits for the opening lesson (a run dependency), at most 2 s after the start, so
// that the first frame shows it and its response is not queued behind main()'s work (fonts, the
// lab's state). The page asked for the lesson list and the lesson before index.js (embedlabEarly), so
// this costs no wait while index.wasm compiles.
(function () {
  var L = Module.labLessons, opened = false, waiting = false;
  L.opened = function () {
    if (opened) return;
    opened = true;
    if (waiting) removeRunDependency('embedlab-opening-lesson');
  };
  Module.preRun = [].concat(Module.preRun || [], function () {
    if (opened) return;
    waiting = true;
    addRunDependency('embedlab-opening-lesson');
  });
  setTimeout(L.opened, 2000);
})();

(function () {
  var L = Module.labLessons;
  var BASE = 'lessons/';
  var NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*\.md$/;                        // scripts/lesson-index.mjs, LESSON_NAME
  var IMAGE = /^(?!.*(^|\/)\.)[A-Za-z0-9._\/-]+\.(png|jpe?g)$/i;         // scripts/lesson-index.mjs, IMAGE_PATH
  var LESSON_MAX = 4 * 1024 * 1024, INDEX_MAX = 1024 * 1024, IMAGE_MAX = 16 * 1024 * 1024, COUNT_MAX = 500;
  var HOW = ' Write the list with: node scripts/lesson-index.mjs lessons (README, "Publishing a course site").';
  var t0 = (typeof performance !== 'undefined' ? performance : Date).now();

  function done(error) {
    L.error = error || '';
    L.ms = (typeof performance !== 'undefined' ? performance : Date).now() - t0;
    L.state = 'ready';
    window.embedlab = Object.assign(window.embedlab || {}, { lessonsMs: Math.round(L.ms), lessonsFrom: L.source });
    L.opened();  // last: the app's main() may run inside it, and takes the lesson at once (platform_web.cpp)
  }
  // fetch with revalidation (a lesson edited on the server shows up on the next load) and a size cap.
  // The page may have made the request already (index.html.in, embedlabEarly): its response is used, once.
  function get(url, max) {
    var early = window.embedlabEarly || {}, started = early[url];
    delete early[url];
    return (started || fetch(url, { cache: 'no-cache', credentials: 'same-origin' })).then(function (r) {
      if (!r.ok) { var e = new Error('HTTP ' + r.status + (r.statusText ? ' ' + r.statusText : '')); e.status = r.status; throw e; }
      var len = Number(r.headers.get('Content-Length') || 0);
      if (len > max) throw new Error('larger than ' + (max >> 20) + ' MiB');
      return r.arrayBuffer().then(function (buf) {
        if (buf.byteLength > max) throw new Error('larger than ' + (max >> 20) + ' MiB');
        return { bytes: new Uint8Array(buf), type: r.headers.get('Content-Type') || '' };
      });
    });
  }
  function why(e) { return e && e.message ? e.message : String(e); }

  // index.json -> [{ file, images }], or throws a sentence.
  function readIndex(bytes) {
    var index;
    try { index = JSON.parse(new TextDecoder('utf-8').decode(bytes)); } catch (e) {
      throw new Error(BASE + 'index.json is not valid JSON (' + why(e) + ').' + HOW);
    }
    if (!index || typeof index !== 'object' || !Array.isArray(index.lessons))
      throw new Error(BASE + 'index.json has no "lessons" list.' + HOW);
    var out = [], bad = [];
    index.lessons.slice(0, COUNT_MAX).forEach(function (l) {
      var file = l && typeof l === 'object' ? l.file : l;  // an entry may also be a bare file name
      if (typeof file !== 'string' || !NAME.test(file)) { bad.push(JSON.stringify(file)); return; }
      var images = l && Array.isArray(l.images) ? l.images.filter(function (s) { return typeof s === 'string' && IMAGE.test(s); }) : [];
      out.push({ file: file, images: images });
    });
    if (bad.length) L.warning = BASE + 'index.json names ' + bad.slice(0, 3).join(', ') + (bad.length > 3 ? ' and more' : '') +
                                ', not a plain lesson file name (letters, digits, . _ - ending in .md); left out.';
    return out;
  }

  // The server's HTML listing of lessons/ -> [{ file, images: [] }] (links to *.md directly inside it).
  function readListing(bytes) {
    var html = new TextDecoder('utf-8').decode(bytes), seen = {}, out = [];
    var re = /href\s*=\s*["']([^"'?#]+\.md)["']/gi, m;
    while ((m = re.exec(html)) && out.length < COUNT_MAX) {
      var name;
      try { name = decodeURIComponent(m[1]); } catch (e) { continue; }
      name = name.replace(/^(\.\/|.*\/lessons\/)/, '');
      if (!NAME.test(name) || name === 'README.md' || seen[name]) continue;
      seen[name] = true;
      out.push({ file: name, images: [] });
    }
    return out;
  }

  function fetchAll(list) {
    var images = {};
    list.forEach(function (l) { l.images.forEach(function (src) { images[src] = true; }); });
    var lessons = list.map(function (l) {
      return get(BASE + encodeURIComponent(l.file), LESSON_MAX).then(
        function (r) { return { path: BASE + l.file, bytes: r.bytes }; },
        function (e) { return { path: BASE + l.file, error: BASE + l.file + ' could not be fetched from the site (' + why(e) + ')' }; });
    });
    var pics = Object.keys(images).map(function (src) {
      return get(BASE + src.split('/').map(encodeURIComponent).join('/'), IMAGE_MAX).then(
        function (r) { return { path: src, bytes: r.bytes }; },
        function () { return null; });  // the lesson then says "[image ... not shown: ...]" where it stands
    });
    return Promise.all([Promise.all(lessons), Promise.all(pics)]).then(function (r) {
      L.files = r[0];
      L.images = r[1].filter(Boolean);
    });
  }

  function fromListing(indexProblem) {
    return get(BASE, INDEX_MAX).then(function (r) {
      var list = /html/i.test(r.type) ? readListing(r.bytes) : [];
      if (!list.length) throw new Error('no listing');
      L.source = 'listing';
      return fetchAll(list).then(function () { done(indexProblem && indexProblem.status !== 404 ? indexProblem.message : ''); });
    }).catch(function () {
      done(indexProblem && indexProblem.status === 404
        ? 'No lessons: the site has no ' + BASE + 'index.json and its server gives no listing of ' + BASE + '.' + HOW
        : indexProblem ? indexProblem.message : 'No lessons: ' + BASE + ' could not be listed.' + HOW);
    });
  }

  // The lesson a #route names, else the first listed (index.html.in says which: one rule for both).
  function opening(list) {
    var files = list.map(function (l) { return l.file; });
    return window.embedlabOpeningLesson ? Math.max(0, files.indexOf(window.embedlabOpeningLesson(files))) : 0;
  }
  Module.labLessonsFetchRest = function () {
    var rest = L.rest;
    if (!rest) return;
    L.rest = null;
    L.state = 'loading';
    fetchAll(rest).then(function () { L.state = 'ready'; });
  };

  if (typeof fetch !== 'function' || typeof window === 'undefined') { done('This browser cannot fetch the lessons (no fetch()).'); return; }
  if (window.location.protocol === 'file:') {
    done('No lessons: this page was opened from a file (file://), and browsers do not let a page read the files beside it. ' +
         'Serve the folder instead, e.g. python3 -m http.server in it (README, "Publishing a course site").');
    return;
  }
  get(BASE + 'index.json', INDEX_MAX).then(function (r) {
    var list = readIndex(r.bytes);
    L.source = 'index';
    if (!list.length) { done('No lessons: ' + BASE + 'index.json lists none.' + HOW); return; }
    var first = opening(list);
    if (list.length > 1) L.rest = list.slice(0, first).concat(list.slice(first + 1));
    return fetchAll([list[first]]).then(function () { done(L.warning || ''); });
  }, function (e) {
    var problem = new Error(e.status === 404 ? 'missing'
                            : 'No lessons: ' + BASE + 'index.json could not be fetched (' + why(e) + ').');
    problem.status = e.status || 0;
    return fromListing(problem);
  }).catch(function (e) { return fromListing(e); });
})();

// For lessons_web.cpp: 1 once every fetch of a batch has settled; then 1 if another batch follows.
// Images are written into the in-memory file system under /assets (where lessons read images from),
// unless the lab's built-in assets have them.
Module.labLessonsSettled = function () { return Module.labLessons.state === 'ready' ? 1 : 0; };
Module.labLessonsMore = function () { return Module.labLessons.rest ? 1 : 0; };
Module.labLessonsCount = function () { return Module.labLessons.files.length; };
Module.labLessonsFile = function (i) { return Module.labLessons.files[i]; };
Module.labLessonsCopy = function (i, ptr) { HEAPU8.set(Module.labLessons.files[i].bytes, ptr); };
Module.labLessonsInstallImages = function (assetsDir) {
  Module.labLessons.images.forEach(function (img) {
    var dest = assetsDir + '/' + img.path;
    try {
      if (FS.analyzePath(dest).exists) return;
      FS.mkdirTree(dest.slice(0, dest.lastIndexOf('/')));
      FS.writeFile(dest, img.bytes);
    } catch (e) { console.warn('embedlab: could not keep the image ' + img.path + ': ' + e); }
  });
};
// The bytes go to the app; each lesson's text stays for the lesson editor's "Edit this lesson".
Module.labLessonsRelease = function () {
  Module.labLessons.files.forEach(function (f) { if (f.bytes && Module.labKeepSource) Module.labKeepSource(f.path, f.bytes); });
  Module.labLessons.files = [];
  Module.labLessons.images = [];
  Module.labLessons.state = 'delivered';
};
