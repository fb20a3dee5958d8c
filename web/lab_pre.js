// Page integration for platform_web.cpp (linked with --pre-js): the route (#hash), dropped files,
// WebGL context restore, window.embedlab state for tests, and opening links safely. Kept in a .js
// file so C++ only calls small named functions (JavaScript inside EM_ASM fights the C preprocessor).
Module.labHashChanged = false;
Module.labDrops = [];
Module.labContextRestored = false;
Module.labTmp = '';

Module.labInstallHooks = function () {
  window.addEventListener('hashchange', function () { Module.labHashChanged = true; });
  window.addEventListener('popstate', function () { Module.labHashChanged = true; });  // Back / Forward
  var canvas = Module['canvas'];
  var glState = Module.labGlStateCache(canvas.getContext('webgl2'));
  canvas.addEventListener('webglcontextrestored', function () { glState.reset(); Module.labContextRestored = true; });
  var stop = function (e) { e.preventDefault(); e.stopPropagation(); };
  document.addEventListener('dragover', stop);
  document.addEventListener('drop', function (e) {
    stop(e);
    var files = e.dataTransfer ? e.dataTransfer.files : [];
    for (var i = 0; i < files.length; ++i) {
      (function (f) {
        if (f.size > 4 * 1024 * 1024) {
          Module.labDrops.push({ name: f.name, error: f.name + ' is larger than 4 MiB; lessons are small text files' });
          return;
        }
        var reader = new FileReader();
        reader.onload = function () { Module.labDrops.push({ name: f.name, bytes: new Uint8Array(reader.result) }); };
        reader.onerror = function () { Module.labDrops.push({ name: f.name, error: 'could not read ' + f.name }); };
        reader.readAsArrayBuffer(f);
      })(files[i]);
    }
  });
  Module.labOpenLessonParam();
  Module.labInstallMirror();
};

// Answers the renderer's state queries from what was last set. Dear ImGui's OpenGL backend saves
// the viewport, scissor box and blend state before each frame it draws (glGetIntegerv), and in
// Chromium each of those queries is a round trip to the GPU process that first waits for every
// command sent before it: the page's thread stood still while SwiftShader finished the previous
// frame (13-45 ms on a step's opening frame here; bench/README.md, "Frames while training"). The lab
// is the context's only user, so the value last set is the value. The blend state starts at WebGL's
// defaults (nothing has set it when this is installed, before the first frame); the viewport and
// scissor box are set by each frame before the backend asks. A restored context starts from the
// defaults again: reset().
Module.labGlStateCache = function (gl) {
  var known = new Map();
  if (!gl) return { reset: function () {} };
  var defaults = function () {
    known.clear();
    blend(gl.ONE, gl.ZERO, gl.ONE, gl.ZERO);
    equation(gl.FUNC_ADD, gl.FUNC_ADD);
  };
  var track = function (name, remember) {
    var call = gl[name].bind(gl);
    gl[name] = function (a, b, c, d) { remember(a, b, c, d); return call(a, b, c, d); };
  };
  var four = function (pname) { return function (a, b, c, d) { known.set(pname, new Int32Array([a, b, c, d])); }; };
  var blend = function (srcRgb, dstRgb, srcAlpha, dstAlpha) {
    known.set(gl.BLEND_SRC_RGB, srcRgb); known.set(gl.BLEND_DST_RGB, dstRgb);
    known.set(gl.BLEND_SRC_ALPHA, srcAlpha); known.set(gl.BLEND_DST_ALPHA, dstAlpha);
  };
  var equation = function (rgb, alpha) { known.set(gl.BLEND_EQUATION_RGB, rgb); known.set(gl.BLEND_EQUATION_ALPHA, alpha); };
  track('viewport', four(gl.VIEWPORT));
  track('scissor', four(gl.SCISSOR_BOX));
  track('blendFunc', function (src, dst) { blend(src, dst, src, dst); });
  track('blendFuncSeparate', blend);
  track('blendEquation', function (mode) { equation(mode, mode); });
  track('blendEquationSeparate', equation);
  var get = gl.getParameter.bind(gl);
  gl.getParameter = function (pname) {
    var v = known.get(pname);
    return v === undefined ? get(pname) : (v instanceof Int32Array ? new Int32Array(v) : v);
  };
  defaults();
  return { reset: defaults };
};

// ?lesson=<url>: preview a lesson file without rebuilding. Same-origin URLs load directly; another
// origin only after the user confirms (a lesson can only describe content and lab blocks).
Module.labOpenLessonParam = function () {
  var param = new URLSearchParams(window.location.search).get('lesson');
  if (!param) return;
  var url;
  try { url = new URL(param, window.location.href); } catch (e) {
    Module.labDrops.push({ name: param, error: 'the lesson link "' + param + '" is not a valid URL' });
    return;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    Module.labDrops.push({ name: param, error: 'lessons load over http(s) only, not ' + url.protocol });
    return;
  }
  if (url.origin !== window.location.origin &&
      !window.confirm('Open a lesson from another site?\n\n' + url.href + '\n\nLessons contain text and experiments only.')) {
    Module.labDrops.push({ name: param, error: 'not opening the lesson from ' + url.origin + ' (not confirmed)' });
    return;
  }
  var name = url.pathname.split('/').pop() || 'lesson.md';
  fetch(url.href, { credentials: 'same-origin' }).then(function (r) {
    if (!r.ok) throw new Error('HTTP ' + r.status);
    var len = Number(r.headers.get('Content-Length') || 0);
    if (len > 4 * 1024 * 1024) throw new Error('larger than 4 MiB');
    return r.arrayBuffer();
  }).then(function (buf) {
    if (buf.byteLength > 4 * 1024 * 1024) throw new Error('larger than 4 MiB');
    Module.labDrops.push({ name: name, bytes: new Uint8Array(buf) });
  }).catch(function (e) {
    Module.labDrops.push({ name: name, error: 'could not load the lesson ' + url.href + ': ' + e.message });
  });
};

// Strings to C++: the caller asks for the UTF-8 length of a staged string, allocates, then copies.
Module.labStage = function (s) { Module.labTmp = (s === undefined || s === null) ? '' : String(s); return lengthBytesUTF8(Module.labTmp); };
Module.labCopyStaged = function (ptr, len) { stringToUTF8(Module.labTmp, ptr, len + 1); };

Module.labTakeHashChanged = function () { var c = Module.labHashChanged; Module.labHashChanged = false; return c ? 1 : 0; };
// Frames that drew something (the app skips the GL work of a frame that changed nothing; tests), and
// a request to redraw every pixel next frame (tests compare that with the partial redraws).
Module.labFramesDrawn = 0;
Module.labRedrawAll = false;
Module.labTakeRedrawAll = function () { var c = Module.labRedrawAll; Module.labRedrawAll = false; return c ? 1 : 0; };
Module.labTakeContextRestored = function () { var c = Module.labContextRestored; Module.labContextRestored = false; return c ? 1 : 0; };
// The raw #fragment, not decoded: the route's keys and values are percent-encoded one by one and
// only C++ (session_apply_route) splits and decodes them, so an encoded & = # ? inside a value stays in it.
// A lesson carried in the link (#lesson:NAME:DATA, web/editor.js) is no route: the editor takes it.
Module.labHash = function () { var h = window.location.hash.replace(/^#/, ''); return /^lesson:/.test(h) ? '' : h; };
// For the About panel (platform_web.cpp, offline_use): 0 plain http from a network address (no
// service worker outside a secure context), 1 no service workers, 2 switched off with ?dev, 3 this
// build is kept (a worker controls the page), 4 being kept (first visit: no worker controls it yet).
Module.labOfflineUse = function () {
  if (!window.isSecureContext) return 0;
  if (!('serviceWorker' in navigator)) return 1;
  if (/[?&]dev\b/.test(location.search)) return 2;
  return navigator.serviceWorker.controller ? 3 : 4;
};
Module.labDropCount = function () { return Module.labDrops.length; };
Module.labDropSize = function () { return Module.labDrops[0].bytes ? Module.labDrops[0].bytes.length : 0; };
Module.labDropError = function () { return Module.labDrops[0].error || ''; };
Module.labDropCopy = function (ptr) { HEAPU8.set(Module.labDrops[0].bytes, ptr); };
// A dropped lesson's text is kept for the lesson editor's "Edit this lesson" (web/editor.js).
Module.labDropPop = function () {
  var d = Module.labDrops.shift();
  if (d && d.bytes && Module.labKeepSource) Module.labKeepSource(d.name, d.bytes);
};

// The route comes already encoded (session_route): set it as it is. Moving to another step adds a
// history entry (so Back and Forward walk the steps); a knob change, or the first route of a page
// opened without one, replaces the current entry.
Module.labSetRoute = function (route) {
  var want = '#' + route;
  var have = window.location.hash;
  if (have === want) return;
  var step = function (h) { return h.replace(/^#/, '').split('?')[0]; };
  if (have.length > 1 && step(have) !== step(want)) history.pushState(null, '', want);
  else history.replaceState(null, '', want);
};
Module.labPublish = function (json) {
  try { window.embedlab = Object.assign(window.embedlab || {}, JSON.parse(json)); }
  catch (e) { console.error('embedlab: bad state json', e); return; }
  var t = window.embedlab.title;
  if (t) document.title = t + ' — EmbedLab';
};
Module.labOpenUrl = function (url) {
  if (/^https?:[/][/]/.test(url)) window.open(url, '_blank', 'noopener,noreferrer');
};

// Exports: a file download of bytes the app made (CSV, TSV, PNG), or the lesson editor's .md.
Module.labDownload = function (name, bytes) {
  var type = /\.png$/.test(name) ? 'image/png' : /\.tsv$/.test(name) ? 'text/tab-separated-values'
           : /\.md$/.test(name) ? 'text/markdown;charset=utf-8' : 'text/csv';
  var url = URL.createObjectURL(new Blob([bytes], { type: type }));
  var a = document.createElement('a');
  a.href = url;
  a.download = name.replace(/[^A-Za-z0-9._-]/g, '_');
  document.body.appendChild(a);
  a.click();
  setTimeout(function () { URL.revokeObjectURL(url); a.remove(); }, 1000);
};

// ---------------------------------------------------------------------------------------------
// The accessible mirror (ui/mirror.h): C++ publishes a JSON description of the step on screen, on a
// step change at once and else at most 4 times a second; this renders it as DOM in #mirror beside
// the canvas — headings, the prose as HTML, each lab block with labelled native controls, progress,
// numbers, ✓/✗ expectations and plot descriptions — and announces changes in a polite live region.
// Controls send their changes back through Module.labInbox (read by platform_web.cpp between
// frames); C++ applies them on the path the ImGui knob takes (ui::knob_set). Built with DOM calls
// and textContent; only the prose's HTML (md4c, raw HTML off) is parsed, then its links and images
// are checked here.
Module.labInbox = [];

// Keys belong to what has focus. Emscripten's GLFW listens for keys on the whole window (capturing)
// and cancels Tab and Backspace there, which would keep the keyboard from moving through the page and
// send the arrow keys typed on a slider to the canvas (where they change the step). These listeners
// are registered first (this file runs before glfwInit) and stop GLFW's for a key meant for the page:
// pressed on any element but the canvas (the mirror's controls, a button), Tab pressed anywhere but
// on the canvas (from the page's start it goes to the mirror), and Shift+Tab on the canvas, the way
// out of it (Tab itself moves between the canvas's own widgets). The canvas, and the page with
// nothing focused, keep their keys (← → move between steps).
(function () {
  var mine = function (e) {
    var t = e.target, canvas = Module['canvas'];
    var tab = e.key === 'Tab';
    if (t === canvas) return tab && e.shiftKey;
    if (t === document.body || t === document.documentElement || !t) return tab;
    return true;
  };
  ['keydown', 'keypress', 'keyup'].forEach(function (type) {
    window.addEventListener(type, function (e) { if (mine(e)) e.stopImmediatePropagation(); }, true);
  });
})();
Module.labMirrorState = { key: null, blocks: [], announced: {}, liveQueue: [], liveTimer: null, lastInput: 0 };

// Links and images of lesson prose: the page shell's one policy (web/index.html.in, embedlabSafeLinks),
// which its text-only view for browsers that cannot run the lab uses too.
Module.labMirrorSafeLinks = function (root) {
  window.embedlabSafeLinks(root);
  root.querySelectorAll('table').forEach(function (t) {
    var wrap = document.createElement('div');
    wrap.className = 'table-wrap';
    t.replaceWith(wrap);
    wrap.appendChild(t);
  });
};

Module.labMirrorEl = function (tag, attrs, text) {
  var e = document.createElement(tag);
  for (var k in attrs || {}) if (attrs[k] !== undefined && attrs[k] !== null) e.setAttribute(k, attrs[k]);
  if (text !== undefined && text !== null) e.textContent = text;
  return e;
};

Module.labMirrorSend = function (msg) { Module.labInbox.push(msg); };

// Polite announcements, at most one every 1.5 s (queued ones are joined).
Module.labMirrorAnnounce = function (text) {
  var st = Module.labMirrorState;
  if (!text) return;
  st.liveQueue.push(text);
  if (st.liveTimer) return;
  var flush = function () {
    var live = document.getElementById('mirror-live');
    if (!live || st.liveQueue.length === 0) { st.liveTimer = null; return; }
    live.textContent = st.liveQueue.join(' ');
    st.liveQueue = [];
    st.liveTimer = setTimeout(flush, 1500);
  };
  flush();
};

// A knob's control: range (log knobs move in log10 space; aria-valuetext says the real value),
// checkbox, select or text; each labelled with the parameter's name, described by its doc.
Module.labMirrorKnob = function (block, knob, key) {
  var el = Module.labMirrorEl;
  var id = 'knob-' + block.run + '-' + knob.name.replace(/[^A-Za-z0-9_-]/g, '_');
  var row = el('div', { 'class': 'knob' });
  var label = el('label', { 'for': id }, knob.name);
  var docId = knob.doc ? id + '-doc' : null;
  var send = function (value) {
    Module.labMirrorSend({ type: 'knob', key: key, run: String(block.run), param: knob.name, value: String(value) });
  };
  var input;
  if (knob.control === 'checkbox') {
    input = el('input', { type: 'checkbox', id: id, 'aria-describedby': docId });
    input.checked = knob.value === 'yes';
    input.addEventListener('change', function () { send(input.checked ? 'yes' : 'no'); });
    row.appendChild(input);
    row.appendChild(label);
  } else if (knob.control === 'select') {
    input = el('select', { id: id, 'aria-describedby': docId });
    (knob.choices || []).forEach(function (c) { var o = el('option', { value: c }, c); input.appendChild(o); });
    input.value = knob.value;
    input.addEventListener('change', function () { send(input.value); });
    row.appendChild(label);
    row.appendChild(input);
  } else if (knob.control === 'range') {
    var log = knob.log && knob.min > 0 && knob.max > knob.min;
    var toSlider = function (v) { return log ? Math.log10(v) : v; };
    var fromSlider = function (x) {
      var v = log ? Math.pow(10, x) : x;
      v = Math.min(knob.max, Math.max(knob.min, v));
      if (knob.integer) v = Math.round(v);
      else v = Number(v.toPrecision(6));
      if (knob.step > 0 && !log) v = Number((knob.min + Math.round((v - knob.min) / knob.step) * knob.step).toPrecision(12));
      return v;
    };
    var step = log ? (Math.log10(knob.max) - Math.log10(knob.min)) / 100
                   : (knob.step > 0 ? knob.step : (knob.integer ? 1 : (knob.max - knob.min) / 100));
    input = el('input', { type: 'range', id: id, min: toSlider(knob.min), max: toSlider(knob.max), step: step,
                          'aria-describedby': docId });
    input.value = toSlider(Number(knob.value));
    input.setAttribute('aria-valuetext', knob.value);
    var out = el('output', { 'for': id, 'aria-hidden': 'true' }, knob.value);
    input.addEventListener('input', function () {
      Module.labMirrorState.lastInput = Date.now();
      var v = String(fromSlider(Number(input.value)));
      out.textContent = v;
      input.setAttribute('aria-valuetext', v);
    });
    input.addEventListener('change', function () { send(fromSlider(Number(input.value))); });
    input.labSet = function (value) {
      input.value = toSlider(Number(value));
      input.setAttribute('aria-valuetext', value);
      out.textContent = value;
    };
    row.appendChild(label);
    row.appendChild(input);
    row.appendChild(out);
  } else {
    input = el('input', { type: 'text', id: id, 'aria-describedby': docId, spellcheck: 'false' });
    input.value = knob.value;
    input.addEventListener('change', function () { send(input.value); });
    row.appendChild(label);
    row.appendChild(input);
  }
  if (!input.labSet) input.labSet = function (value) {
    if (input.type === 'checkbox') input.checked = value === 'yes'; else input.value = value;
  };
  input.dataset.param = knob.name;
  if (docId) row.appendChild(el('span', { id: docId, 'class': 'doc' }, knob.doc));
  return row;
};

// The parts of a block that change while it runs: progress, status, expectations, numbers, plots.
Module.labMirrorBlockUpdate = function (section, block) {
  var el = Module.labMirrorEl;
  var dyn = section.querySelector('.dynamic');
  dyn.textContent = '';
  var c = block.controls || {}, pause = section.querySelector('.run-pause'), reset = section.querySelector('.run-reset');
  if (pause) {
    pause.hidden = !c.pause;
    pause.dataset.action = c.paused ? 'resume' : 'pause';
    pause.textContent = c.paused ? 'Resume' : 'Pause';
  }
  if (reset) {
    reset.hidden = !c.reset;
    reset.dataset.action = 'reset';
  }
  if (block.progress !== null && block.progress_text) {
    var pid = 'progress-' + block.run;
    dyn.appendChild(el('label', { 'for': pid, 'class': 'sr-only' }, 'Progress of ' + block.title));
    var p = el('progress', { id: pid, max: '1', value: String(block.progress) });
    dyn.appendChild(p);
    dyn.appendChild(el('p', { 'class': 'progress-text' }, block.progress_text));
  }
  if (block.status) dyn.appendChild(el('p', { 'class': 'status' }, block.status));  // announced by the live region
  if (block.note) dyn.appendChild(el('p', { 'class': 'note-text' }, block.note));
  if (block.expects.length) {
    dyn.appendChild(el('h4', null, 'Expectations'));
    var ul = el('ul', { 'class': 'expects' });
    var said = { holds: 'holds', fails: 'does not hold', pending: 'still running', student: 'at your settings' };
    block.expects.forEach(function (e) {
      var li = el('li', { 'class': e.state });
      li.appendChild(el('span', { 'aria-hidden': 'true' }, e.mark + ' '));
      li.appendChild(document.createTextNode(e.text + ' '));
      li.appendChild(el('span', { 'class': 'sr-only' }, '(' + (said[e.state] || e.state) + ')'));
      ul.appendChild(li);
    });
    dyn.appendChild(ul);
  }
  if (block.metrics.length) {
    var t = el('table', { 'class': 'metrics' });
    t.appendChild(el('caption', null, 'Numbers'));
    var head = el('tr');
    head.appendChild(el('th', { scope: 'col' }, 'metric'));
    head.appendChild(el('th', { scope: 'col' }, 'value'));
    t.appendChild(head);
    block.metrics.forEach(function (m) {
      var tr = el('tr');
      tr.appendChild(el('th', { scope: 'row', title: m.doc || null }, m.name));
      tr.appendChild(el('td', null, m.value));
      t.appendChild(tr);
    });
    var wrap = el('div', { 'class': 'table-wrap' });
    wrap.appendChild(t);
    dyn.appendChild(wrap);
  }
  if (block.plots.length) {
    dyn.appendChild(el('h4', null, block.plots.length > 1 ? 'Plots' : 'Plot'));
    block.plots.forEach(function (d) { dyn.appendChild(el('p', { 'class': 'plot-text' }, d)); });
  }
  // Knob values the block has now (a link, Reset, or the canvas moved them), unless being dragged here.
  block.knobs.forEach(function (k) {
    var input = null;
    section.querySelectorAll('[data-param]').forEach(function (c) { if (c.dataset.param === k.name) input = c; });
    if (!input) return;
    var busy = document.activeElement === input && Date.now() - Module.labMirrorState.lastInput < 800;
    if (!busy) input.labSet(k.value);
  });
};

Module.labMirrorBlockSummary = function (block) {
  if (block.status) return block.title + ': ' + block.status;
  if (block.progress !== 1 || !block.ready) return '';
  var judged = block.expects.filter(function (e) { return e.state === 'holds' || e.state === 'fails'; });
  var holds = judged.filter(function (e) { return e.state === 'holds'; }).length;
  var s = block.title + (block.progress_text ? ': ' + block.progress_text : ': done');
  if (judged.length) s += '; ' + holds + ' of ' + judged.length + ' expectations hold';
  return s + '.';
};

Module.labMirrorRender = function (m) {
  var el = Module.labMirrorEl;
  var root = document.getElementById('mirror');
  var body = document.getElementById('mirror-body');
  if (!root || !body) return;
  var hadFocus = root.contains(document.activeElement);
  body.textContent = '';
  var st = Module.labMirrorState;
  st.blocks = [];
  st.announced = {};
  if (m.lesson) body.appendChild(el('p', { 'class': 'position' }, 'Lesson ' + (m.lesson.index + 1) + ' of ' + m.lesson.count));
  body.appendChild(el('h1', { id: 'mirror-title' }, m.lesson ? m.lesson.title : 'EmbedLab'));
  // Navigation: previous / next step (cross lessons as the canvas's buttons do), then every lesson and step.
  var nav = el('nav', { 'aria-label': 'Steps' });
  var links = el('p', { 'class': 'prevnext' });
  if (m.step && m.step.prev) links.appendChild(el('a', { href: '#' + m.step.prev, rel: 'prev' }, '◀ Previous step'));
  if (m.step && m.step.next) links.appendChild(el('a', { href: '#' + m.step.next, rel: 'next' }, 'Next step ▶'));
  nav.appendChild(links);
  var det = el('details');
  det.appendChild(el('summary', null, 'All lessons and steps'));
  var ul = el('ul');
  (m.lessons || []).forEach(function (l, i) {
    var li = el('li');
    var a = el('a', { href: '#' + l.route }, l.title);
    if (m.lesson && i === m.lesson.index) {
      a.setAttribute('aria-current', 'true');
      li.appendChild(a);
      var ol = el('ol');
      (m.steps || []).forEach(function (s, k) {
        var sli = el('li');
        var sa = el('a', { href: '#' + s.route }, s.title);
        if (m.step && k === m.step.index) sa.setAttribute('aria-current', 'step');
        sli.appendChild(sa);
        ol.appendChild(sli);
      });
      li.appendChild(ol);
    } else li.appendChild(a);
    ul.appendChild(li);
  });
  det.appendChild(ul);
  nav.appendChild(det);
  body.appendChild(nav);

  var main = el('main', { 'aria-labelledby': 'mirror-step' });
  if (m.step) main.appendChild(el('h2', { id: 'mirror-step', tabindex: '-1' },
                                  'Step ' + (m.step.index + 1) + ' of ' + m.step.count + ': ' + m.step.title));
  (m.diagnostics || []).forEach(function (d) { main.appendChild(el('p', { 'class': 'status' }, d)); });
  (m.parts || []).forEach(function (part) {
    if (part.type === 'prose') {
      var div = el('div', { 'class': 'prose' });
      div.innerHTML = part.html;  // md4c output with raw HTML off: lesson text cannot add markup
      Module.labMirrorSafeLinks(div);
      main.appendChild(div);
      return;
    }
    var titleId = 'block-title-' + part.run;
    var sec = el('section', { 'class': 'block', 'aria-labelledby': titleId });
    sec.appendChild(el('h3', { id: titleId }, part.title));
    if (!part.ok) {
      sec.appendChild(el('p', { 'class': 'status' }, 'This lab block has errors:'));
      var eul = el('ul');
      part.errors.forEach(function (e) { eul.appendChild(el('li', null, e)); });
      sec.appendChild(eul);
    }
    if (part.knobs.length) {
      var fs = el('fieldset');
      fs.appendChild(el('legend', null, 'Settings'));
      part.knobs.forEach(function (k) { fs.appendChild(Module.labMirrorKnob(part, k, m.key)); });
      sec.appendChild(fs);
    }
    // Pause / Resume and Reset, as on the canvas (shown while the block has them: labMirrorBlockUpdate).
    var controls = el('div', { 'class': 'run-controls' });
    [['run-pause', 'Pause'], ['run-reset', 'Reset']].forEach(function (b) {
      var button = el('button', { type: 'button', 'class': b[0], hidden: '' }, b[1]);
      button.addEventListener('click', function () {
        Module.labMirrorSend({ type: 'run', key: m.key, run: String(part.run), action: button.dataset.action });
      });
      controls.appendChild(button);
    });
    sec.appendChild(controls);
    sec.appendChild(el('div', { 'class': 'dynamic' }));
    main.appendChild(sec);
    st.blocks[part.run] = sec;
    Module.labMirrorBlockUpdate(sec, part);
    st.announced[part.run] = Module.labMirrorBlockSummary(part);
  });
  body.appendChild(main);
  if (hadFocus && m.step) document.getElementById('mirror-step').focus();
};

Module.labMirror = function (json) {
  var m;
  try { m = JSON.parse(json); } catch (e) { console.error('embedlab: bad mirror json', e); return; }
  var st = Module.labMirrorState;
  document.documentElement.lang = m.lang || 'en';
  Module.labThemeShow(m.theme, m.dark);
  if (m.key !== st.key) {
    st.key = m.key;
    Module.labMirrorRender(m);
  } else {
    (m.parts || []).forEach(function (part) {
      if (part.type !== 'block' || !st.blocks[part.run]) return;
      Module.labMirrorBlockUpdate(st.blocks[part.run], part);
      var summary = Module.labMirrorBlockSummary(part);
      if (summary && summary !== st.announced[part.run]) Module.labMirrorAnnounce(summary);
      st.announced[part.run] = summary;
    });
  }
  window.embedlab = Object.assign(window.embedlab || {}, { mirror: m });
};

// Theme: the page follows the app's (C++ keeps the choice; the system's preference comes from
// prefers-color-scheme). The choice is remembered in localStorage for the next visit.
Module.labThemeShow = function (choice, dark) {
  var html = document.documentElement;
  html.dataset.theme = dark ? 'dark' : 'light';
  var meta = document.querySelector('meta[name=theme-color]');
  if (meta) meta.content = dark ? '#17191c' : '#0072B2';
  var sel = document.getElementById('mirror-theme');
  if (sel && sel.value !== choice) sel.value = choice;
  try { if (localStorage.getItem('embedlab-theme') !== choice) localStorage.setItem('embedlab-theme', choice); } catch (e) { /* private mode */ }
};

Module.labInstallMirror = function () {
  var mq = window.matchMedia ? window.matchMedia('(prefers-color-scheme: dark)') : null;
  var sendSystem = function () { Module.labMirrorSend({ type: 'system-theme', value: mq && mq.matches ? 'dark' : 'light' }); };
  sendSystem();
  if (mq && mq.addEventListener) mq.addEventListener('change', sendSystem);
  var saved = null;
  try { saved = localStorage.getItem('embedlab-theme'); } catch (e) { /* private mode */ }
  if (saved === 'light' || saved === 'dark') Module.labMirrorSend({ type: 'theme', value: saved });
  var sel = document.getElementById('mirror-theme');
  if (sel) sel.addEventListener('change', function () { Module.labMirrorSend({ type: 'theme', value: sel.value }); });
  var back = document.getElementById('mirror-canvas');
  if (back) back.addEventListener('click', function () { Module['canvas'].focus(); });
  var root = document.getElementById('mirror');
  if (root) root.addEventListener('keydown', function (e) {
    if (e.key === 'Escape') Module['canvas'].focus();
  });
};

// bench/page.mjs: when the first lesson frame was drawn (the page's ready signal), in ms since
// navigation started (performance.now()), so load time is measured by the page, not by polling. And
// where the time went (window.embedlab.startup): the WebGL context (index.html.in: when it began,
// how long it took), when the app's main() began (the downloads and the compile were done), when its
// first frame began.
(function (onReady) {
  var startup = function () { return (window.embedlab = window.embedlab || {}).startup = window.embedlab.startup || {}; };
  Module.onRuntimeInitialized = function () { startup().main = Math.round(performance.now()); };
  Module.labFirstFrame = function () { startup().frame = Math.round(performance.now()); };
  Module.labOnReady = function () {
    window.embedlab = Object.assign(window.embedlab || {}, { readyMs: Math.round(performance.now()) });
    if (onReady) onReady();
  };
})(Module.labOnReady);
