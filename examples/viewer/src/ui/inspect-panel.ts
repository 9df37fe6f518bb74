import { contactForceBetween, gripForce, parameterSpan, type ContactPoint, type Randomization } from '@gripgen/sim-core';
import { cubeColor, taskWorldBodies } from '@gripgen/sim-core/render';
import type { MotionSource } from '../motion/motion-source.js';
import { escapeHtml, fixed, formatParam } from './format.js';

/** Suffix of the parameters that give a body its colour (`<body>Hue`). */
const HUE_SUFFIX = 'Hue';

/**
 * The inspect panel: everything about the focused world — identity, episode clock, success and
 * sub-signals, gripper opening, command and grip force, the contacts, the observed poses, and
 * every randomized parameter beside the range the task's preset draws it from.
 */
export class InspectPanel {
  constructor(private readonly element: HTMLElement) {}

  /**
   * Redraws the panel for world `world` of `source`'s current frame; `contacts` are that
   * world's contact points now (undefined: not read yet, or the source has none).
   */
  update(source: MotionSource | undefined, world: number, preset: string, contacts?: readonly ContactPoint[]): void {
    if (!source) {
      this.element.innerHTML = '<h2>No worlds</h2>';
      return;
    }
    const f = source.frame;
    const obsOffset = world * f.obsNames.length;
    const obs = (name: string) => f.obs[obsOffset + f.obsNames.indexOf(name)];
    const hasObs = (name: string) => f.obsNames.includes(name);
    const param = (i: number) => f.params[world * f.paramNames.length + i];
    const rows = (entries: [string, string][]) =>
      `<table>${entries.map(([k, v]) => `<tr><td>${escapeHtml(k)}</td><td>${v}</td></tr>`).join('')}</table>`;
    const position = (name: string) =>
      `${fixed(obs(`${name}_pos_x`) * 100, 1)}, ${fixed(obs(`${name}_pos_y`) * 100, 1)}, ${fixed(obs(`${name}_pos_z`) * 100, 1)} cm`;

    const signals = f.signalNames
      .map((name, k) => {
        const on = f.signals[world * f.signalNames.length + k] === 1;
        return `<span class="signal${on ? ' on' : ''}" data-signal="${escapeHtml(name)}">${escapeHtml(name)}</span>`;
      })
      .join('');
    const succeeded = f.succeeded[world] === 1;
    const gripperIndex = f.actionSize - 1;
    const command = f.actions[world * f.actionSize + gripperIndex];
    const presets = f.task.presets as Readonly<Record<string, Randomization<string>>>;
    const randomization = Object.hasOwn(presets, preset) ? presets[preset] : undefined;

    const paramRows = f.paramNames
      .map((name, i) => {
        const range = randomization && Object.hasOwn(randomization, name) ? parameterSpan(randomization, name) : undefined;
        const rangeText = !range ? '' : range.min === range.max ? 'fixed' : `${formatParam(name, range.min)} … ${formatParam(name, range.max)}`;
        const swatch = name.endsWith(HUE_SUFFIX) ? cubeColor(param(i)).map((c) => Math.round(c * 255)).join(',') : undefined;
        const mark = swatch ? `<span class="swatch" style="background: rgb(${swatch})"></span>` : '';
        return `<tr data-param="${escapeHtml(name)}"><td>${escapeHtml(name)}</td><td>${mark}${formatParam(name, param(i))}</td><td class="range">${rangeText}</td></tr>`;
      })
      .join('');
    const extra = Object.entries(source.describeWorld(world)).map(([k, v]) => [k, escapeHtml(v)] as [string, string]);
    const successCount = f.succeeded.reduce((a, b) => a + b, 0);

    // The grip force: each finger's normal forces on the task's moving bodies (not the table or fixtures).
    const bodies = taskWorldBodies(f.task, f.obs, obsOffset, f.params, world * f.paramNames.length);
    const fingers = bodies.filter((b) => b.role === 'finger').map((b) => b.name);
    const objects = bodies.filter((b) => b.role === 'object').map((b) => b.name);
    const grip = contacts && fingers.length > 0 ? gripForce(contacts, fingers, objects) : undefined;
    const gripText = !source.contacts
      ? '<span title="datasets record no forces">not recorded</span>'
      : !grip
        ? '…'
        : `<span id="grip-force" title="mean of the finger–object normal forces (Sim.contacts)">${fixed(grip.mean, 2)}</span> N ` +
          `<span class="range">(${fingers.map((name, k) => `${escapeHtml(name)} ${fixed(grip.fingers[k], 2)}`).join(', ')})</span>`;
    const contactRows: [string, string][] = [];
    if (contacts) {
      const pairs = new Map<string, { count: number; bodyA: string; bodyB: string }>();
      for (const c of contacts) {
        const key = `${c.bodyA}–${c.bodyB}`;
        const pair = pairs.get(key) ?? { count: 0, bodyA: c.bodyA, bodyB: c.bodyB };
        pair.count++;
        pairs.set(key, pair);
      }
      contactRows.push(['points', `<span id="contact-count">${contacts.length}</span>`]);
      for (const [key, pair] of pairs) {
        contactRows.push([key, `${fixed(contactForceBetween(contacts, pair.bodyA, pair.bodyB), 2)} N <span class="range">(${pair.count})</span>`]);
      }
    }
    const gripperRows: [string, string][] = [];
    if (hasObs('gripper_opening')) gripperRows.push(['width', `<span id="gripper-width">${fixed(obs('gripper_opening') * 1000, 1)}</span> mm`]);
    gripperRows.push(['command', `${command > 0 ? 'close' : command < 0 ? 'open' : '—'} (${fixed(command, 2)})`]);
    if (fingers.length > 0) gripperRows.push(['grip force', gripText]);
    if (hasObs('ee_pos_x')) gripperRows.push(['TCP', position('ee')]);
    // Every other observed position (`<name>_pos_x`, the objects and fixtures the task observes).
    const observed = f.obsNames.filter((n) => n.endsWith('_pos_x') && n !== 'ee_pos_x').map((n) => n.slice(0, -'_pos_x'.length));

    this.element.innerHTML = `
      <h2 id="inspect-title">World ${world}</h2>
      ${rows([
        ['task', escapeHtml(f.task.id)],
        ['world key', String(f.worldId[world])],
        ['episode', `${f.episode[world]} · step ${f.stepCount[world]} / ${f.episodeSteps}`],
        ['driven by', escapeHtml(source.label)],
        ...extra,
      ])}
      <h3>Signals</h3>
      <div class="signals">${signals}</div>
      ${rows([
        ['succeeded this episode', succeeded ? 'yes' : 'not yet'],
        ['batch', `${successCount} / ${f.numWorlds} worlds succeeded`],
      ])}
      <h3>Gripper</h3>
      ${rows(gripperRows)}
      ${contacts ? `<h3>Contacts <span style="text-transform:none">(normal force, points)</span></h3>${rows(contactRows)}` : ''}
      ${observed.length > 0 ? `<h3>Positions</h3>${rows(observed.map((name) => [name, position(name)]))}` : ''}
      <h3>Randomized parameters <span style="text-transform:none">(${escapeHtml(preset)})</span></h3>
      <table>${paramRows}</table>`;
  }
}
