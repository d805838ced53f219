// @ts-check
// The migration graph page: draws the nodes and edges the extension laid out, and sends back
// what the user picks. It computes no graph itself (client/src/graph/ does, with tests).
(function () {
  const vscode = acquireVsCodeApi();
  const SVG = 'http://www.w3.org/2000/svg';
  const WIDTH = 230;
  const HEIGHT = 36;
  const GAP_X = 36;
  const GAP_Y = 26;
  const PAD = 16;
  /** States a migration can be migrated to, and unapplied from: the tree's menus. */
  const MIGRATABLE = ['applied', 'unapplied', 'squashed', 'replaced', 'inconsistent'];
  const UNAPPLIABLE = ['applied', 'squashed', 'replaced', 'inconsistent'];

  const canvas = /** @type {HTMLElement} */ (document.getElementById('canvas'));
  const appSelect = /** @type {HTMLSelectElement} */ (document.getElementById('app'));
  const aliasSelect = /** @type {HTMLSelectElement} */ (document.getElementById('alias'));
  const search = /** @type {HTMLInputElement} */ (document.getElementById('search'));
  const matches = /** @type {HTMLElement} */ (document.getElementById('matches'));
  const selection = /** @type {HTMLElement} */ (document.getElementById('selection'));
  const planText = /** @type {HTMLElement} */ (document.getElementById('plan'));
  const messageText = /** @type {HTMLElement} */ (document.getElementById('message'));
  const buttons = /** @type {HTMLButtonElement[]} */ ([...document.querySelectorAll('button[data-action]')]);

  /** @type {any} */
  let graph;
  /** @type {Map<string, any>} */
  let nodes = new Map();
  /** @type {Map<string, SVGGElement>} */
  let elements = new Map();
  /** @type {SVGPathElement[]} */
  let edgeElements = [];
  /** @type {string | undefined} */
  let selected;
  /** @type {string[]} */
  let matching = [];

  const position = (/** @type {any} */ node) => ({ x: PAD + node.lane * (WIDTH + GAP_X), y: PAD + node.layer * (HEIGHT + GAP_Y) });
  const svg = (/** @type {string} */ tag, /** @type {Record<string, string | number>} */ attributes) => {
    const element = document.createElementNS(SVG, tag);
    for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
    return element;
  };
  const short = (/** @type {string} */ text, /** @type {number} */ max) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
  const stateWord = (/** @type {any} */ node) =>
    node.state === 'outside' ? `another app, ${node.applied ? 'applied' : 'not applied'}` : node.state === 'missingFile' ? 'file missing' : node.state;

  function draw(/** @type {any} */ message) {
    graph = message.graph;
    nodes = new Map(message.nodes.map((/** @type {any} */ node) => [node.id, node]));
    fillSelect(
      appSelect,
      [{ value: '', label: `All apps of ${graph.projectName}` }].concat(
        graph.apps.map((/** @type {any} */ app) => ({
          value: app.label,
          label: `${app.label} (${app.migrations})${app.conflicting ? ' conflict' : ''}${app.installed ? ' installed' : ''}`,
        })),
      ),
      graph.app ?? '',
    );
    fillSelect(
      aliasSelect,
      graph.aliases.map((/** @type {string} */ alias) => ({ value: alias, label: alias })),
      graph.alias,
    );
    messageText.textContent =
      graph.status === 'ok' || graph.status === 'missing-file'
        ? ''
        : `The database '${graph.alias}' cannot be read (${graph.message ?? graph.status}): applied states are not shown.`;

    let width = 0;
    let height = 0;
    for (const node of nodes.values()) {
      const { x, y } = position(node);
      width = Math.max(width, x + WIDTH + PAD);
      height = Math.max(height, y + HEIGHT + PAD);
    }
    const root = svg('svg', { width, height, role: 'presentation' });
    const edgeLayer = svg('g', {});
    const nodeLayer = svg('g', {});
    root.append(edgeLayer, nodeLayer);
    edgeElements = [];
    for (const edge of graph.edges) {
      const from = nodes.get(edge.from);
      const to = nodes.get(edge.to);
      if (!from || !to) continue;
      const a = position(from);
      const b = position(to);
      const x1 = a.x + WIDTH / 2;
      const y1 = a.y + HEIGHT;
      const x2 = b.x + WIDTH / 2;
      const y2 = b.y;
      const bend = Math.max(12, (y2 - y1) / 2);
      const path = /** @type {SVGPathElement} */ (
        svg('path', {
          d: `M${x1},${y1} C${x1},${y1 + bend} ${x2},${y2 - bend} ${x2},${y2}`,
          class: `edge ${edge.kind}${from.app !== to.app ? ' cross' : ''}`,
        })
      );
      path.dataset.from = edge.from;
      path.dataset.to = edge.to;
      edgeLayer.append(path);
      edgeElements.push(path);
    }
    elements = new Map();
    let index = 0;
    for (const node of nodes.values()) {
      const { x, y } = position(node);
      const group = /** @type {SVGGElement} */ (
        svg('g', {
          id: `node-${index++}`,
          class: `node ${node.state}${node.applied ? ' is-applied' : ''}`,
          transform: `translate(${x},${y})`,
          role: 'treeitem',
          'aria-label': `${node.id}, ${stateWord(node)}`,
        })
      );
      group.dataset.id = node.id;
      group.dataset.vscodeContext = JSON.stringify({
        webviewSection: 'migration',
        migrationState: node.state,
        preventDefaultContextMenuItems: true,
        projectRoot: graph.projectRoot,
        alias: graph.alias,
        app: node.app,
        name: node.name,
        ...(node.file ? { file: node.file } : {}),
      });
      const title = svg('title', {});
      title.textContent = tooltip(node);
      const box = svg('rect', { width: WIDTH, height: HEIGHT, rx: 4 });
      const mark = svg('circle', { cx: 12, cy: HEIGHT / 2, r: 5 });
      const label = svg('text', { x: 24, y: node.app === graph.app ? 22 : 16 });
      label.textContent = short(node.name, 30);
      group.append(title, box, mark, label);
      if (node.app !== graph.app) {
        const app = svg('text', { x: 24, y: 29, class: 'app' });
        app.textContent = short(node.app, 34);
        group.append(app);
      }
      nodeLayer.append(group);
      elements.set(node.id, group);
    }
    canvas.replaceChildren(root);
    if (message.selected && nodes.has(message.selected)) select(message.selected, false, false);
    else {
      selected = undefined;
      showSelection();
    }
    filter();
  }

  function tooltip(/** @type {any} */ node) {
    const lines = [`${node.id}`, `State on '${graph.alias}': ${stateWord(node)}`];
    if (node.replaces) lines.push(`Squash of ${node.replaces.length}: ${node.replaces.join(', ')}`);
    if (node.replacedBy) lines.push(`Replaced by ${node.replacedBy}`);
    if (node.state === 'conflicting') lines.push('A leaf of an app with several leaves: merge them (makemigrations --merge).');
    if (!node.file) lines.push('No file in the workspace.');
    return lines.join('\n');
  }

  function fillSelect(/** @type {HTMLSelectElement} */ element, /** @type {{value: string, label: string}[]} */ options, /** @type {string} */ value) {
    element.replaceChildren(
      ...options.map((option) => {
        const entry = document.createElement('option');
        entry.value = option.value;
        entry.textContent = option.label;
        return entry;
      }),
    );
    element.value = value;
  }

  function select(/** @type {string} */ id, /** @type {boolean} */ focus, /** @type {boolean} */ notify) {
    if (selected) elements.get(selected)?.classList.remove('selected');
    selected = id;
    const element = elements.get(id);
    if (!element) return;
    element.classList.add('selected');
    canvas.setAttribute('aria-activedescendant', element.id);
    if (focus) canvas.focus();
    reveal(nodes.get(id));
    showSelection();
    if (notify) vscode.postMessage({ type: 'select', id });
  }

  function reveal(/** @type {any} */ node) {
    const { x, y } = position(node);
    if (x < canvas.scrollLeft || x + WIDTH > canvas.scrollLeft + canvas.clientWidth) canvas.scrollLeft = x - (canvas.clientWidth - WIDTH) / 2;
    if (y < canvas.scrollTop || y + HEIGHT > canvas.scrollTop + canvas.clientHeight) canvas.scrollTop = y - (canvas.clientHeight - HEIGHT) / 2;
  }

  function showSelection() {
    const node = selected ? nodes.get(selected) : undefined;
    for (const element of elements.values()) element.classList.remove('plan-forward', 'plan-backward');
    planText.textContent = '';
    selection.textContent = node ? `${node.id}: ${stateWord(node)}` : 'Select a migration: arrow keys move, Enter opens its file.';
    const trusted = graph?.trusted === true;
    const enabled = {
      open: !!node?.file,
      migrateTo: trusted && !!node && MIGRATABLE.includes(node.state),
      unapply: trusted && !!node && UNAPPLIABLE.includes(node.state) && node.applied,
      showSql: trusted && !!node?.file && node.state !== 'outside',
    };
    for (const button of buttons) button.disabled = !enabled[/** @type {keyof typeof enabled} */ (button.dataset.action)];
  }

  function showPlan(/** @type {any} */ message) {
    if (message.selected !== selected) return;
    const node = nodes.get(selected);
    const steps = message.plan.steps;
    for (const step of steps) elements.get(step.id)?.classList.add(step.backwards ? 'plan-backward' : 'plan-forward');
    const target = message.plan.target.split('.');
    const command = `migrate ${target[0]} ${target.slice(1).join('.')}`;
    if (steps.length === 0) {
      planText.textContent = `${command} on '${graph.alias}': nothing to apply or unapply.`;
      return;
    }
    const backwards = steps.filter((/** @type {any} */ step) => step.backwards);
    const forwards = steps.filter((/** @type {any} */ step) => !step.backwards);
    const list = (/** @type {any[]} */ entries) =>
      entries
        .slice(0, 8)
        .map((step) => step.id)
        .join(', ') + (entries.length > 8 ? `, and ${entries.length - 8} more` : '');
    const parts = [];
    if (forwards.length > 0) parts.push(`would apply ${forwards.length}: ${list(forwards)}`);
    if (backwards.length > 0) parts.push(`would unapply ${backwards.length}: ${list(backwards)}`);
    planText.textContent = `${command} on '${graph.alias}' ${parts.join('; ')}.`;
    if (node) selection.textContent = `${node.id}: ${stateWord(node)}`;
  }

  function filter() {
    const text = search.value.trim().toLowerCase();
    matching = [];
    for (const [id, element] of elements) {
      const hit = text !== '' && id.toLowerCase().includes(text);
      if (hit) matching.push(id);
      element.classList.toggle('match', hit);
      element.classList.toggle('dimmed', text !== '' && !hit);
    }
    for (const edge of edgeElements) edge.classList.toggle('dimmed', text !== '');
    matches.textContent = text === '' ? '' : `${matching.length} of ${elements.size} match`;
  }

  function open(/** @type {string | undefined} */ id) {
    if (id && nodes.get(id)?.file) vscode.postMessage({ type: 'open', id });
  }

  canvas.addEventListener('click', (event) => {
    const target = /** @type {Element} */ (event.target).closest('.node');
    const id = target instanceof SVGGElement ? target.dataset.id : undefined;
    if (!id) return;
    select(id, true, true);
    open(id);
  });
  canvas.addEventListener('contextmenu', (event) => {
    const target = /** @type {Element} */ (event.target).closest('.node');
    const id = target instanceof SVGGElement ? target.dataset.id : undefined;
    if (id && id !== selected) select(id, false, true);
  });
  canvas.addEventListener('keydown', (event) => {
    if (!graph || nodes.size === 0) return;
    if (!selected) {
      if (['ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight', 'Home'].includes(event.key)) {
        select(nodes.keys().next().value, true, true);
        event.preventDefault();
      }
      return;
    }
    const keys = nodes.get(selected)?.keys ?? {};
    const next = { ArrowUp: keys.up, ArrowDown: keys.down, ArrowLeft: keys.left, ArrowRight: keys.right }[event.key];
    if (next) {
      select(next, true, true);
      event.preventDefault();
    } else if (event.key === 'Enter') {
      open(selected);
      event.preventDefault();
    }
  });
  search.addEventListener('input', filter);
  search.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter' || matching.length === 0) return;
    const index = selected ? matching.indexOf(selected) : -1;
    select(matching[(index + 1) % matching.length], false, true);
    event.preventDefault();
  });
  appSelect.addEventListener('change', () => vscode.postMessage({ type: 'scope', app: appSelect.value === '' ? null : appSelect.value, alias: aliasSelect.value }));
  aliasSelect.addEventListener('change', () => vscode.postMessage({ type: 'scope', app: appSelect.value === '' ? null : appSelect.value, alias: aliasSelect.value }));
  for (const button of buttons) {
    button.addEventListener('click', () => {
      if (!selected) return;
      const action = button.dataset.action;
      if (action === 'open') open(selected);
      else vscode.postMessage({ type: 'command', command: action, id: selected });
    });
  }

  window.addEventListener('message', (event) => {
    const message = event.data;
    if (message.type === 'graph') draw(message);
    else if (message.type === 'plan') showPlan(message);
    else if (message.type === 'error') messageText.textContent = message.message;
  });
  vscode.postMessage({ type: 'ready' });
})();
