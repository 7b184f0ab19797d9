// Checks a page's layout; each returns a list of problems, empty when the page is right.
({
  // Elements sticking out past the right edge of the screen, named so a failure says what to fix.
  overflow() {
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth <= width) return [];
    const describe = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
      + (el.className ? "." + String(el.className).split(" ").join(".") : "");
    // Inside a box that scrolls sideways and itself fits, an element is fine.
    const clipped = (el) => {
      for (let up = el.parentElement; up; up = up.parentElement) {
        if (getComputedStyle(up).overflowX !== "visible") {
          return up.getBoundingClientRect().right <= width + 1;
        }
      }
      return false;
    };
    const culprits = [...document.querySelectorAll("body *")]
      .filter((el) => el.getBoundingClientRect().right > width + 1 && !clipped(el))
      .filter((el) => !el.parentElement
        || el.parentElement.getBoundingClientRect().right <= width + 1)
      .slice(0, 5)
      .map((el) => `${describe(el)} ends at ${Math.round(el.getBoundingClientRect().right)} px`);
    return [`the page is ${document.documentElement.scrollWidth} px wide`, ...culprits];
  },
  // Boxes that hide part of their content sideways (a column of a table, say).
  hiddenSideways() {
    return [...document.querySelectorAll("main div, main section, main details")]
      .filter((el) => getComputedStyle(el).overflowX !== "visible")
      .filter((el) => el.scrollWidth > el.clientWidth + 1)
      .map((el) => `div.${String(el.className).split(" ").join(".")}`
        + ` hides ${el.scrollWidth - el.clientWidth} px`);
  },
})
