import { contactForceBetween, parameterSpan, PICK_PLACE_PRESETS, pickPlaceGripForce, type ContactPoint, type PickPlaceParamName } from '@gripgen/sim-core';
import { cubeColor } from '@gripgen/sim-core/render';
import type { MotionSource } from '../motion/motion-source.js';
import { escapeHtml, fixed, formatParam } from './format.js';

type PresetName = keyof typeof PICK_PLACE_PRESETS;

/**
 * The inspect panel: everything about the focused world — identity, episode clock, success and
 * sub-signals, gripper opening, command and grip force, the contacts, poses, and every
 * randomized parameter beside the range its preset draws it from.
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
    const obs = (name: string) => f.obs[world * f.obsNames.length + f.obsNames.indexOf(name)];
    const param = (i: number) => f.params[world * f.paramNames.length + i];
    const rows = (entries: [string, string][]) =>
      `<table>${entries.map(([k, v]) => `<tr><td>${escapeHtml(k)}</td><td>${v}</td></tr>`).join('')}</table>`;

    const signals = f.signalNames
      .map((name, k) => {
        const on = f.signals[world * f.signalNames.length + k] === 1;
        return `<span class="signal${on ? ' on' : ''}" data-signal="${escapeHtml(name)}">${escapeHtml(name)}</span>`;
      })
      .join('');
    const succeeded = f.succeeded[world] === 1;
    const gripperIndex = f.actionSize - 1;
    const command = f.actions[world * f.actionSize + gripperIndex];
    const randomization = preset in PICK_PLACE_PRESETS ? PICK_PLACE_PRESETS[preset as PresetName] : undefined;
    const hueIndex = f.paramNames.indexOf('cubeHue');
    const swatch = hueIndex >= 0 ? cubeColor(param(hueIndex)).map((c) => Math.round(c * 255)).join(',') : undefined;

    const paramRows = f.paramNames
      .map((name, i) => {
        const range = randomization && name in randomization ? parameterSpan(randomization, name as PickPlaceParamName) : undefined;
        const rangeText = !range ? '' : range.min === range.max ? 'fixed' : `${formatParam(name, range.min)} … ${formatParam(name, range.max)}`;
        const mark = name === 'cubeHue' && swatch ? `<span class="swatch" style="background: rgb(${swatch})"></span>` : '';
        return `<tr data-param="${escapeHtml(name)}"><td>${escapeHtml(name)}</td><td>${mark}${formatParam(name, param(i))}</td><td class="range">${rangeText}</td></tr>`;
      })
      .join('');
    const extra = Object.entries(source.describeWorld(world)).map(([k, v]) => [k, escapeHtml(v)] as [string, string]);
    const successCount = f.succeeded.reduce((a, b) => a + b, 0);
    const grip = contacts ? pickPlaceGripForce(contacts) : undefined;
    const gripText = !source.contacts
      ? '<span title="datasets record no forces">not recorded</span>'
      : !grip
        ? '…'
        : `<span id="grip-force" title="mean of the two finger–cube normal forces (Sim.contacts)">${fixed(grip.mean, 2)}</span> N ` +
          `<span class="range">(left ${fixed(grip.left, 2)}, right ${fixed(grip.right, 2)})</span>`;
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

    this.element.innerHTML = `
      <h2 id="inspect-title">World ${world}</h2>
      ${rows([
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
      ${rows([
        ['width', `<span id="gripper-width">${fixed(obs('gripper_opening') * 1000, 1)}</span> mm`],
        ['command', `${command > 0 ? 'close' : command < 0 ? 'open' : '—'} (${fixed(command, 2)})`],
        ['grip force', gripText],
        ['TCP', `${fixed(obs('ee_pos_x') * 100, 1)}, ${fixed(obs('ee_pos_y') * 100, 1)}, ${fixed(obs('ee_pos_z') * 100, 1)} cm`],
      ])}
      ${contacts ? `<h3>Contacts <span style="text-transform:none">(normal force, points)</span></h3>${rows(contactRows)}` : ''}
      <h3>Cube</h3>
      ${rows([['position', `${fixed(obs('cube_pos_x') * 100, 1)}, ${fixed(obs('cube_pos_y') * 100, 1)}, ${fixed(obs('cube_pos_z') * 100, 1)} cm`]])}
      <h3>Randomized parameters <span style="text-transform:none">(${escapeHtml(preset)})</span></h3>
      <table>${paramRows}</table>`;
  }
}
