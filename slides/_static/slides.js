/* The lecturer's edition: fit the current slide to the 1280x720 frame without going below 20 px.
   On every slide change (and once MathJax has typeset the deck): a display formula wider than its
   column is scaled down (to 20/26 of the text size at least), then the slide's text size steps down
   from 26 px towards 20 px while the slide overflows. The browser checks (tests/slides) measure the
   result: a slide that still overflows at 20 px fails them. */
(function () {
  var BASE = 26, MIN = 20, W = 1280, H = 720;
  function overflows(s) { return s.scrollHeight > H + 1 || s.scrollWidth > W + 1; }
  function fitMath(s) {
    s.querySelectorAll('mjx-container[display="true"]').forEach(function (m) {
      m.style.fontSize = '';
      var avail = m.parentElement.clientWidth, wide = m.scrollWidth;
      if (avail > 0 && wide > avail) {
        m.style.fontSize = (100 * Math.max(avail / wide, MIN / BASE)).toFixed(1) + '%';
      }
    });
  }
  function fit(s) {
    if (!s || s.classList.contains('stack')) return;
    s.style.fontSize = '';
    fitMath(s);
    for (var px = BASE - 1; overflows(s) && px >= MIN; px--) {
      s.style.fontSize = px + 'px';
      fitMath(s);
    }
  }
  function fitCurrent() { if (window.Reveal && Reveal.isReady()) fit(Reveal.getCurrentSlide()); }
  // The speaker view copies a slide's notes into its own window, without MathJax's stylesheet: there
  // the assistive MathML (for screen readers; the notes are hidden from the room's view) would show
  // as a second copy of every formula. The notes keep the SVG drawing only.
  function cleanNotes() {
    document.querySelectorAll('aside.notes mjx-assistive-mml').forEach(function (e) { e.remove(); });
  }
  function start() {
    Reveal.on('slidechanged', function (e) { fit(e.currentSlide); });
    Reveal.on('ready', function (e) { fit(e.currentSlide); });
    var typeset = window.MathJax && MathJax.startup && MathJax.startup.promise;
    (typeset || Promise.resolve()).then(function () { cleanNotes(); fitCurrent(); });
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
