// A fast path of box–box contact for a box resting on the top face of a larger box: the WGSL
// twin of packages/sim-core/src/backends/webgpu/reference/collide-box-face.ts (read its header).
// Results go to the private `manifold` of collide.wgsl.
// #requires collide

// Contacts of box `top` on the +z face of box `base` within `margin`, the normal from `base` to
// `top`; -1 when the fast path does not apply (use collideBoxes).
fn collideBoxOnFace(base: Box, top: Box, margin: f32) -> i32 {
  let rt = transpose(base.r);
  let c = rt * (top.c - base.c);
  let extent = top.h.x * abs(rt * top.r[0]) + top.h.y * abs(rt * top.r[1]) + top.h.z * abs(rt * top.r[2]);
  if (abs(c.x) + extent.x > base.h.x || abs(c.y) + extent.y > base.h.y || c.z - extent.z < 0.0) {
    return -1;
  }
  let n = base.r[2];
  manifold.n = n;
  var count = 0u;
  for (var k = 0u; k < 8u; k++) {
    let sx = select(-1.0, 1.0, (k & 1u) != 0u);
    let sy = select(-1.0, 1.0, (k & 2u) != 0u);
    let sz = select(-1.0, 1.0, (k & 4u) != 0u);
    let corner = top.c + sx * top.h.x * top.r[0] + sy * top.h.y * top.r[1] + sz * top.h.z * top.r[2];
    let z = dot(corner - base.c, n) - base.h.z;
    if (z > margin) {
      continue;
    }
    manifold.p[count] = corner - 0.5 * z * n;
    manifold.d[count] = z;
    count++;
  }
  manifold.count = reduceManifold(count);
  return i32(manifold.count);
}
