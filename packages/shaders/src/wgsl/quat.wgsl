// Quaternion helpers, [x, y, z, w] in a vec4f, the WGSL twins of
// packages/sim-core/src/math/quat.ts. Library module: kernels pull it in with
// `// #requires quat`.

// a ⊗ b (apply b, then a).
fn quatMul(a: vec4f, b: vec4f) -> vec4f {
  return vec4f(
    a.w * b.x + a.x * b.w + a.y * b.z - a.z * b.y,
    a.w * b.y - a.x * b.z + a.y * b.w + a.z * b.x,
    a.w * b.z + a.x * b.y - a.y * b.x + a.z * b.w,
    a.w * b.w - a.x * b.x - a.y * b.y - a.z * b.z);
}

fn quatConj(q: vec4f) -> vec4f {
  return vec4f(-q.xyz, q.w);
}

// q · v · q⁻¹.
fn quatRotate(q: vec4f, v: vec3f) -> vec3f {
  let t = 2.0 * cross(q.xyz, v);
  return v + q.w * t + cross(q.xyz, t);
}

// The rotation by rotation vector rv (axis · angle).
fn quatFromRotationVector(rv: vec3f) -> vec4f {
  let angle = length(rv);
  if (angle < 1e-12) {
    return normalize(vec4f(0.5 * rv, 1.0));
  }
  return vec4f(rv * (sin(0.5 * angle) / angle), cos(0.5 * angle));
}

// Rotation vector (angle in [0, π]) of unit quaternion q.
fn quatToRotationVector(q0: vec4f) -> vec3f {
  var q = q0;
  if (q.w < 0.0) {
    q = -q;
  }
  let sinHalf = length(q.xyz);
  let angle = 2.0 * atan2(sinHalf, q.w);
  var k = 2.0;
  if (sinHalf >= 1e-12) {
    k = angle / sinHalf;
  }
  return q.xyz * k;
}

// Rotation about +z by `yaw`, normalized: WGSL's sin and cos may be off by 2^-11 (SwiftShader's
// are, by up to 2e-4), and an unnormalized start pose reads as a turn of up to 2° once the first
// physics step renormalizes it.
fn quatFromYaw(yaw: f32) -> vec4f {
  return normalize(vec4f(0.0, 0.0, sin(0.5 * yaw), cos(0.5 * yaw)));
}

// Normalized linear interpolation along the shorter arc.
fn quatNlerp(a: vec4f, b: vec4f, t: f32) -> vec4f {
  var s = 1.0;
  if (dot(a, b) < 0.0) {
    s = -1.0;
  }
  return normalize(a + (s * b - a) * t);
}

// Rotation matrix of q: column i is the rotated local axis i.
fn quatToMat(q: vec4f) -> mat3x3f {
  let x = q.x; let y = q.y; let z = q.z; let w = q.w;
  return mat3x3f(
    vec3f(1.0 - 2.0 * (y * y + z * z), 2.0 * (x * y + z * w), 2.0 * (x * z - y * w)),
    vec3f(2.0 * (x * y - z * w), 1.0 - 2.0 * (x * x + z * z), 2.0 * (y * z + x * w)),
    vec3f(2.0 * (x * z + y * w), 2.0 * (y * z - x * w), 1.0 - 2.0 * (x * x + y * y)));
}

// Angular velocity that turns orientation a into b in time dt.
fn angularVelocityBetween(a: vec4f, b: vec4f, dt: f32) -> vec3f {
  var d = quatMul(b, quatConj(a));
  if (d.w < 0.0) {
    d = -d;
  }
  let sinHalf = length(d.xyz);
  if (sinHalf < 1e-12) {
    return vec3f(0.0);
  }
  let angle = 2.0 * atan2(sinHalf, d.w);
  return d.xyz * (angle / (sinHalf * dt));
}

// q advanced by angular velocity w over time h (exact rotation), normalized.
fn integrateRotation(q: vec4f, w: vec3f, h: f32) -> vec4f {
  let angle = length(w) * h;
  if (angle < 1e-12) {
    return q;
  }
  let dq = vec4f(w * (sin(0.5 * angle) / (angle / h)), cos(0.5 * angle));
  return normalize(quatMul(dq, q));
}
