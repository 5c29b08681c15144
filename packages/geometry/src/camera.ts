/**
 * The 3-D view every render of the voxel and point-cloud packages shares: an orthographic camera
 * looking from the front-right-top (x right, y up, z towards the viewer) and a light from the
 * top-left-front, so a voxel shape and a point cloud of the same object are seen the same way.
 */

export type Vec3 = [number, number, number];

export const normalize = (v: readonly number[]): Vec3 => {
  const l = Math.hypot(v[0]!, v[1]!, v[2]!);
  return [v[0]! / l, v[1]! / l, v[2]! / l];
};
export const cross = (a: readonly number[], b: readonly number[]): Vec3 => [a[1]! * b[2]! - a[2]! * b[1]!, a[2]! * b[0]! - a[0]! * b[2]!, a[0]! * b[1]! - a[1]! * b[0]!];
export const dot = (a: readonly number[], b: readonly number[]): number => a[0]! * b[0]! + a[1]! * b[1]! + a[2]! * b[2]!;

/** An orthographic view: the direction it looks along and the screen's right and up axes. */
export interface View {
  /** Unit vector from the camera into the scene. */
  dir: Vec3;
  right: Vec3;
  up: Vec3;
  /** Unit vector towards the light. */
  light: Vec3;
}

/**
 * The view looking along `direction` with y up on screen (default: the shared front-right-top view).
 * @throws RangeError for a zero direction or one along the up axis.
 */
export function viewFrom(direction: readonly number[] = [-1, -0.8, -1.3], light: readonly number[] = [-0.4, 1, 0.7]): View {
  const dir = normalize(direction);
  if (!dir.every(Number.isFinite) || Math.hypot(dir[0], dir[2]) < 1e-6) throw new RangeError(`viewFrom: direction [${direction}] must be non-zero and not along the up axis`);
  const right = normalize(cross(dir, [0, 1, 0]));
  return { dir, right, up: cross(right, dir), light: normalize(light) };
}

/** The view both packages render with. */
export const DEFAULT_VIEW: View = viewFrom();
