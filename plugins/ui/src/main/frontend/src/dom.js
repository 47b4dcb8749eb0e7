// A tiny element builder: h('a', {href: '/x', class: 'y', onclick: f}, 'text', child, [more]).
// Text is always set as text, never parsed as HTML.
export function h(tag, attributes, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === undefined || value === null || value === false) {
      continue;
    }
    if (name.startsWith('on') && typeof value === 'function') {
      element.addEventListener(name.slice(2), value);
    } else if (name === 'value' || name === 'checked') {
      element[name] = value;
    } else {
      element.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) {
      continue;
    }
    if (Array.isArray(child)) {
      append(element, child);
    } else {
      element.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
  }
}

/** Replaces the children of an element. */
export function replace(element, ...children) {
  element.replaceChildren();
  append(element, children);
}

/** An error box, or nothing. */
export function errorBox(error) {
  return error ? h('div', { class: 'alert error', role: 'alert' }, String(error.message ?? error)) : null;
}

/** A warning box listing the warnings, or nothing. */
export function warningBox(warnings, infos) {
  const items = [...(warnings ?? []).map((w) => ['warning', w]), ...(infos ?? []).map((i) => ['info', i])];
  if (items.length === 0) {
    return null;
  }
  return h('ul', { class: 'alert warnings' }, items.map(([kind, text]) => h('li', { class: kind }, text)));
}
