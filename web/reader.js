// The page for a browser that cannot run the lab (no WebAssembly, or no WebGL 2): index.html says what
// is missing, then loads this, which shows the text of every lesson below the message, in the order of
// lessons/index.json: each shipped lesson as static HTML (lessons/NAME.html, written by the web build
// with `embedlab lesson html`, when the index lists it as the lesson's `text`), any other lesson (added
// to or edited on a published site) as its Markdown.
// Fetched only then, so the pages of every other browser do not carry it.
(function () {
  'use strict';
  var style = document.createElement('style');
  style.textContent = [
    'html.reader, html.reader body { height: auto; overflow: auto; }',
    'html.reader #canvas, html.reader #mirror { display: none; }',  // no lab: its text version's buttons mean nothing
    'html.reader #error { position: static; display: block; background: none; }',
    'html.reader #error .card { margin: 1.5rem auto; }',
    '#lesson-text { max-width: 44rem; margin: 0 auto; padding: 0 1.5rem 3rem; line-height: 1.55; }',
    '#lesson-text article { border-top: 1px solid var(--line); margin-top: 2rem; }',
    '#lesson-text pre { max-height: none; }',
    '#lesson-text table { display: block; overflow-x: auto; border-collapse: collapse; }',
    '#lesson-text th, #lesson-text td { border: 1px solid var(--line); padding: .2rem .5rem; }',
    '#lesson-text .lab-block { border-left: 4px solid var(--accent); padding-left: .8rem; color: var(--muted); }',
    '#lesson-text a { color: var(--accent); }'
  ].join('\n');
  document.head.appendChild(style);
  document.documentElement.classList.add('reader');
  var box = document.getElementById('lesson-text');
  box.hidden = false;
  var intro = document.createElement('p');
  intro.textContent = 'The lessons\u2019 text, to read here; their experiments need the lab itself.';
  box.appendChild(intro);
  var get = function (url) {
    return fetch(url).then(function (r) { if (!r.ok) throw new Error(url + ': HTTP ' + r.status); return r.text(); });
  };
  get('lessons/index.json').then(function (text) {
    var NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*\.(md|html)$/;
    var lessons = (JSON.parse(text).lessons || []).map(function (l) { return typeof l === 'string' ? { file: l } : l || {}; })
      .filter(function (l) { return typeof l.file === 'string' && NAME.test(l.file) && /\.md$/.test(l.file); });
    return Promise.all(lessons.map(function (l) {
      var markdown = function () {
        return get('lessons/' + l.file).then(function (md) { return { md: md }; }, function (e) { return { error: e.message }; });
      };
      // l.text: NAME.html, listed by scripts/lesson-index.mjs only while it is this file's text.
      if (typeof l.text !== 'string' || !NAME.test(l.text)) return markdown();
      return get('lessons/' + l.text).then(function (h) { return { html: h }; }, markdown);
    }));
  }).then(function (parts) {
    parts.forEach(function (p) {
      var div = document.createElement('div');
      if (p.html !== undefined) {
        div.innerHTML = p.html;  // written by the lab's build: text escaped, no raw HTML
        window.embedlabSafeLinks(div);
      }
      else {
        var article = document.createElement('article');
        var pre = document.createElement('pre');
        pre.textContent = p.md !== undefined ? p.md : p.error;
        article.appendChild(pre);
        div.appendChild(article);
      }
      box.appendChild(div.firstElementChild || div);
    });
    window.embedlab = Object.assign(window.embedlab || {}, { lessonText: parts.length });
  }).catch(function (e) {
    intro.textContent = 'The lessons could not be loaded either (' + e.message + ').';
    window.embedlab = Object.assign(window.embedlab || {}, { lessonText: 0 });
  });
})();
