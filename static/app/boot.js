/* Runs before the page is drawn: styles that need JavaScript apply from the first paint. */
document.documentElement.classList.replace("no-js", "js");
