// The lesson editor (linked with --pre-js after lab_pre.js): a lesson's Markdown in a plain <textarea>
// beside the live lesson (above it, as a Text / Preview toggle, on narrow screens). After each pause
// in typing (300 ms) the whole text goes to the app through Module.labInbox; C++ parses it with the
// parser every lesson goes through (runtime::lesson_parse), replaces the lesson on screen at the same
// step, keeps the experiments of blocks whose parameters did not change (session_edit_lesson), and
// answers with Module.labEditResult: the problems, which are marked at their lines here.
// The text is kept in localStorage across reloads, downloads as NAME.md, and travels in a link as
// #lesson:NAME:DATA (DATA = deflate-raw + base64url of the text, by the browser's CompressionStream;
// no server, no library), up to LINK_MAX characters. A lesson from a link is text handed to the same
// parser as a dropped file: it cannot run code or fetch anything (lessons describe prose and lab
// blocks only; images come from the lab's own assets; links open only on a click, http(s) only).
Module.labEditor = { open: false, name: '', text: '', sentAt: 0, result: null, view: 'text' };
Module.labLessonSources = {};  // lesson id -> { name, bytes }: the site's lessons and dropped files

(function () {
  var E = Module.labEditor;
  var KEY = 'embedlab-editor';               // { name, text, open }
  var BACKUP = 'embedlab-editor-previous';   // the draft a link or "New" replaced
  var DEBOUNCE_MS = 300;
  var TEXT_MAX = 1024 * 1024;                // bytes of UTF-8: lessons are small text files (fetched ones: 4 MiB)
  var LINK_MAX = 32000;                      // characters of a whole share link (see lessons/README.md)
  var NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*\.md$/;
  var TEMPLATE = [
    '---',
    'title: My lesson',
    'order: 99',
    'summary: One sentence on what the student will see.',
    'minutes: 10',
    '---',
    '',
    '## Random directions',
    '',
    'In high dimension, two random vectors are **almost orthogonal**: their cosine concentrates',
    'around 0 with a spread of about 1/√d. Move the slider and watch the histogram narrow.',
    '',
    '```lab random-cosine',
    'title: Cosine of 2 000 random pairs',
    'dim: 2',
    'knob dim: 1 .. 1024 log',
    'expect std_cos ≈ 0.7 ± 0.1',
    '```',
    '',
    '## Check yourself',
    '',
    '```lab quiz',
    'question: Two different one-hot vectors are how far apart?',
    'choices: 0 | 1 | √2 | it depends on the symbols',
    'answer: 3',
    'explanation: ‖eᵢ − eⱼ‖² = 1 + 1 − 2·0 = 2, for every pair.',
    '```',
    ''].join('\n');
  var timer = null;
  var $ = function (id) { return document.getElementById(id); };
  var utf8 = function (s) { return new TextEncoder().encode(s); };

  var idOf = function (path) { return String(path).split('/').pop().replace(/\.[^.]*$/, ''); };
  // A name the editor can use: the file's own when it is plain, else a tidied one.
  var tidyName = function (name) {
    name = String(name || '').split('/').pop();
    if (NAME.test(name)) return name;
    name = name.replace(/\.md$/i, '').replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '');
    return (name || 'my-lesson') + '.md';
  };
  Module.labKeepSource = function (path, bytes) { Module.labLessonSources[idOf(path)] = { name: tidyName(path), bytes: bytes }; };

  function store(value, key) {
    try { localStorage.setItem(key || KEY, JSON.stringify(value)); return true; } catch (e) { return false; }
  }
  function stored(key) {
    try { var v = JSON.parse(localStorage.getItem(key || KEY) || 'null'); return v && typeof v.text === 'string' ? v : null; }
    catch (e) { return null; }
  }
  function say(text, kind) {
    var s = $('editor-note');
    if (!s) return;
    s.textContent = text || '';
    s.className = kind || '';
    s.hidden = !text;
  }

  // ---- sending the text to the app, and showing its answer -------------------------------------
  function save() {
    if (!store({ name: E.name, text: E.text, open: E.open }))
      say('This browser does not let the page keep your text (storage full or blocked): download it to keep it.', 'bad');
  }
  function send() {
    var bytes = utf8(E.text).length;
    if (bytes > TEXT_MAX) {
      say('The text is ' + (bytes / 1048576).toFixed(1) + ' MiB; the editor previews lessons up to 1 MiB. ' +
          'Lessons are small text files: move large data into the lab\'s assets.', 'bad');
      return;
    }
    if ($('editor-note').className === 'bad') say('');  // a size problem is over once the text goes again
    E.sentAt = performance.now();
    Module.labInbox.push({ type: 'edit', path: 'lessons/' + E.name, text: E.text });
  }
  function changed() {
    clearTimeout(timer);
    timer = setTimeout(function () { timer = null; send(); save(); }, DEBOUNCE_MS);
    gutter();
  }

  // Line numbers, and a band behind each line with a problem (the textarea does not wrap, so line n
  // is at (n - 1) line heights from the top).
  function lineHeight() { return parseFloat(getComputedStyle($('editor-text')).lineHeight) || 20; }
  function gutter() {
    var lines = E.text.split('\n').length, g = $('editor-gutter');
    if (g.dataset.lines === String(lines)) return;
    g.dataset.lines = String(lines);
    var out = [];
    for (var i = 1; i <= lines; ++i) out.push(i);
    g.textContent = out.join('\n');
  }
  function scrolled() {
    var ta = $('editor-text');
    $('editor-gutter').style.transform = 'translateY(' + (-ta.scrollTop) + 'px)';
    $('editor-marks').style.transform = 'translateY(' + (-ta.scrollTop) + 'px)';
  }
  function goToLine(line) {
    var ta = $('editor-text'), lines = E.text.split('\n');
    line = Math.max(1, Math.min(line, lines.length));
    var start = 0;
    for (var i = 0; i < line - 1; ++i) start += lines[i].length + 1;
    ta.focus();
    ta.setSelectionRange(start, start + lines[line - 1].length);
    ta.scrollTop = Math.max(0, (line - 1) * lineHeight() - ta.clientHeight / 3);
    scrolled();
    showView('text');
  }
  function render(r) {
    var marks = $('editor-marks'), list = $('editor-problems'), pad = parseFloat(getComputedStyle($('editor-text')).paddingTop) || 0;
    marks.textContent = '';
    list.textContent = '';
    var errors = 0, warnings = 0, h = lineHeight();
    r.diagnostics.forEach(function (d) {
      if (d.severity === 'error') ++errors; else ++warnings;
      var li = document.createElement('li');
      li.className = d.severity;
      var b = document.createElement('button');
      b.type = 'button';
      b.textContent = d.line > 0 ? 'Line ' + d.line : 'File';
      b.setAttribute('aria-label', (d.line > 0 ? 'Go to line ' + d.line : 'The whole file') + ': ' + d.severity);
      b.addEventListener('click', function () { goToLine(d.line || 1); });
      li.appendChild(b);
      li.appendChild(document.createTextNode(' ' + d.severity + ': ' + d.message));
      list.appendChild(li);
      if (d.line > 0) {
        var m = document.createElement('div');
        m.className = 'mark ' + d.severity;
        m.dataset.line = String(d.line);
        m.style.top = (pad + (d.line - 1) * h) + 'px';
        m.style.height = h + 'px';
        m.title = d.message;
        marks.appendChild(m);
      }
    });
    $('editor-text').setAttribute('aria-invalid', errors ? 'true' : 'false');
    var status = errors || warnings
      ? '✗ ' + errors + ' error' + (errors === 1 ? '' : 's') + (warnings ? ', ' + warnings + ' warning' + (warnings === 1 ? '' : 's') : '') +
        ' — click a line number below to go there.'
      : '✓ No problems: ' + r.steps + ' step' + (r.steps === 1 ? '' : 's') + ', ' + r.blocks + ' lab block' + (r.blocks === 1 ? '' : 's') + '.';
    $('editor-status').textContent = status;
    $('editor-status').className = errors ? 'bad' : 'good';
  }
  // From platform_web.cpp (publish_edit), after the app parsed the text it was sent.
  Module.labEditResult = function (json) {
    var r;
    try { r = JSON.parse(json); } catch (e) { console.error('embedlab: bad editor json', e); return; }
    var roundTrip = E.sentAt ? performance.now() - E.sentAt : 0;
    E.result = r;
    render(r);
    var errors = r.diagnostics.filter(function (d) { return d.severity === 'error'; });
    E.answers = (E.answers || 0) + 1;
    window.embedlab = Object.assign(window.embedlab || {}, { editor: {  // for the browser tests
      open: E.open, name: E.name, id: r.id, parseMs: r.parseMs, roundTripMs: Math.round(roundTrip),
      errors: errors.length, diagnostics: r.diagnostics, steps: r.steps, blocks: r.blocks, answers: E.answers } });
  };

  // ---- opening and closing -------------------------------------------------------------------------
  function showView(view) {
    E.view = view;
    document.body.classList.toggle('editor-preview', view === 'preview');
    var t = $('editor-toggle');
    if (t) {
      t.textContent = view === 'preview' ? '✎ Text' : 'Preview ▶';
      t.setAttribute('aria-label', view === 'preview' ? 'Show the lesson text' : 'Show the lesson preview');
    }
  }
  function openWith(name, text, note) {
    E.open = true;
    E.name = tidyName(name);
    E.text = text;
    $('editor').hidden = false;
    document.body.classList.add('editing');
    $('editor-name').value = E.name;
    $('editor-text').value = text;
    $('editor-share-out').hidden = true;
    say(note || '', note ? 'info' : '');
    gutter();
    showView('text');
    send();
    save();
  }
  function keepPrevious() {
    var prev = stored();
    if (prev && prev.text && prev.text !== TEMPLATE) store(prev, BACKUP);
  }
  // From the canvas's menu (Lessons ▸ Edit this lesson, platform_web.cpp) and the page's buttons.
  // An empty id starts from the template. A draft of this same lesson is picked up where it was left.
  Module.labEditorOpen = function (id) {
    var draft = stored();
    if (id && draft && idOf(draft.name) === id) { openWith(draft.name, draft.text, 'Your draft of this lesson, as you left it.'); return; }
    var src = id ? Module.labLessonSources[id] : null;
    keepPrevious();
    if (src) openWith(src.name, new TextDecoder('utf-8').decode(src.bytes), '');
    else openWith('my-lesson.md', TEMPLATE, id ? 'The text of "' + id + '" is not available here; starting from the template.' : '');
  };
  function close() {
    clearTimeout(timer);
    if (E.open) { E.open = false; save(); }
    $('editor').hidden = true;
    document.body.classList.remove('editing', 'editor-preview');
    Module['canvas'].focus();
  }

  // ---- download and share ------------------------------------------------------------------------
  function download() { Module.labDownload(E.name, utf8(E.text)); say('Downloaded ' + E.name + '.', 'info'); }

  function b64url(bytes) {
    var s = '';
    for (var i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }
  function unb64url(text) {
    if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error('it holds characters that are not base64url');
    var s = atob(text.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((text.length + 3) % 4));
    var out = new Uint8Array(s.length);
    for (var i = 0; i < s.length; ++i) out[i] = s.charCodeAt(i);
    return out;
  }
  // Streams bytes through a (de)compressor, giving up beyond `max` output bytes (a link cannot
  // unpack into more than the editor takes).
  function pipe(bytes, stream, max) {
    var reader = new Blob([bytes]).stream().pipeThrough(stream).getReader(), parts = [], total = 0;
    function next() {
      return reader.read().then(function (r) {
        if (r.done) {
          var out = new Uint8Array(total), at = 0;
          parts.forEach(function (p) { out.set(p, at); at += p.length; });
          return out;
        }
        total += r.value.length;
        if (total > max) { reader.cancel(); throw new Error('it unpacks to more than ' + (max >> 20) + ' MiB'); }
        parts.push(r.value);
        return next();
      });
    }
    return next();
  }
  var canCompress = typeof CompressionStream === 'function' && typeof DecompressionStream === 'function';
  Module.labEditorLink = function (name, text) {
    if (!canCompress) return Promise.reject(new Error('this browser has no CompressionStream, so it cannot make lesson links'));
    return pipe(utf8(text), new CompressionStream('deflate-raw'), 64 * 1024 * 1024).then(function (packed) {
      return location.origin + location.pathname + location.search + '#lesson:' + name + ':' + b64url(packed);
    });
  };
  function share() {
    Module.labEditorLink(E.name, E.text).then(function (link) {
      window.embedlab = Object.assign(window.embedlab || {}, { editorLink: link.length > LINK_MAX ? '' : link, editorLinkLength: link.length });
      if (link.length > LINK_MAX) {
        $('editor-share-out').hidden = true;
        say('This lesson is too large for a link: it would be ' + link.length.toLocaleString('en') + ' characters, and links ' +
            'carry at most ' + LINK_MAX.toLocaleString('en') + '. Download the .md file and share the file instead.', 'bad');
        return;
      }
      $('editor-link').value = link;
      $('editor-share-out').hidden = false;
      var done = function (copied) {
        say((copied ? 'Link copied' : 'Link ready below: copy it') + ' (' + link.length.toLocaleString('en') + ' characters). ' +
            'It carries the whole lesson; whoever opens it sees this text in their editor.', 'info');
      };
      if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(link).then(function () { done(true); }, function () { done(false); });
      else done(false);
      $('editor-link').select();
    }, function (e) { say('No link: ' + e.message + '.', 'bad'); });
  }

  // #lesson:NAME:DATA -> the editor. A broken link is one message (the app shows it); the page goes on.
  function fromLink() {
    var m = /^#lesson:([^:]*):(.*)$/.exec(location.hash);
    if (!m) return false;
    history.replaceState(null, '', location.pathname + location.search);  // the app's route takes the fragment's place
    var name = m[1];
    try { name = decodeURIComponent(name); } catch (e) { /* tidyName makes it plain */ }
    name = tidyName(name || 'shared.md');
    var fail = function (why) {
      Module.labDrops.push({ name: name, error: 'the lesson link could not be opened: ' + why +
                             '. Ask for the link again, or for the .md file.' });
    };
    if (!canCompress) { fail('this browser has no DecompressionStream'); return true; }
    var packed;
    try { packed = unb64url(m[2]); } catch (e) { fail(e.message); return true; }
    pipe(packed, new DecompressionStream('deflate-raw'), TEXT_MAX).then(function (bytes) {
      var text;
      try { text = new TextDecoder('utf-8', { fatal: true }).decode(bytes); } catch (e) { throw new Error('its text is not UTF-8'); }
      keepPrevious();
      openWith(name, text, 'Opened from a link. Like a dropped file, it can show text and run lab blocks only.' +
               (stored(BACKUP) ? ' Your previous draft is kept: "Restore previous draft".' : ''));
    }).catch(function (e) { fail(/unpack|UTF-8/.test(e.message) ? e.message : 'its data is damaged (' + e.message + ')'); });
    return true;
  }
  Module.labEditorFromLink = fromLink;

  // ---- wiring ------------------------------------------------------------------------------------
  function install() {
    var ta = $('editor-text');
    if (!ta) return;
    ta.addEventListener('input', function () { E.text = ta.value; changed(); });
    ta.addEventListener('scroll', scrolled);
    $('editor-name').addEventListener('change', function () {
      var n = $('editor-name').value.trim();
      if (!/\.md$/i.test(n)) n += '.md';
      if (!NAME.test(n)) {
        say('A lesson file name is letters, digits, . _ - and ends in .md (it is the lesson\'s id in links).', 'bad');
        $('editor-name').value = E.name;
        return;
      }
      E.name = n;
      save();
      send();
    });
    $('editor-download').addEventListener('click', download);
    $('editor-share').addEventListener('click', share);
    $('editor-new').addEventListener('click', function () { keepPrevious(); openWith('my-lesson.md', TEMPLATE, ''); });
    $('editor-restore').addEventListener('click', function () {
      var prev = stored(BACKUP);
      if (!prev) { say('There is no previous draft.', 'info'); return; }
      var now = stored();
      if (now) store(now, BACKUP);
      openWith(prev.name, prev.text, 'Your previous draft (the one it replaced is kept in its place).');
    });
    $('editor-close').addEventListener('click', close);
    $('editor-toggle').addEventListener('click', function () { showView(E.view === 'preview' ? 'text' : 'preview'); });
    var edit = $('mirror-edit');
    if (edit) edit.addEventListener('click', function () {
      var m = (window.embedlab || {}).mirror;
      Module.labEditorOpen(m && m.lesson ? m.lesson.id : '');
    });
    window.addEventListener('hashchange', fromLink);
    if (fromLink()) return;
    // A draft that was open when the page was left opens again, unless the page was opened on a
    // link to another lesson (the draft then waits in storage for "Edit this lesson").
    var draft = stored();
    if (!draft || !draft.open || !NAME.test(draft.name || '')) return;
    var route = location.hash.replace(/^#/, '').split(/[/?]/)[0];
    try { route = decodeURIComponent(route); } catch (e) { /* not a route of ours */ }
    if (route && route !== idOf(draft.name)) return;
    openWith(draft.name, draft.text, 'Your draft, as you left it.');
  }
  if (typeof document !== 'undefined') {
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', install);
    else install();
  }
})();
