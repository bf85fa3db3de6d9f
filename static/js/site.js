// Loaded in <head>: marks the page as script-capable so the collapsed phone
// menu is used; without JavaScript the menu simply stays open.
document.documentElement.classList.remove("no-js");
