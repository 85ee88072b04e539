! J2 (von Mises) plasticity with linear isotropic hardening as an Abaqus UMAT: the Fortran twin of FemHost's
! VonMises plug-in (plugins/VonMises/VonMisesMaterial.cs), same algorithm in the same order of operations, used
! to verify the Umat adapter (tests/UmatAdapter.Tests) and as a starting point.
!
! Backward-Euler radial return (de Souza Neto, Peric & Owen 2008, Box 7.3): elastic predictor
! sigma_tr = sigma_n + D_e dstran, q_tr = sqrt(3/2 s_tr:s_tr); if f = q_tr - (sigma_y + H eqps_n) <= 0 the step is
! elastic, otherwise dgamma = f / (3G + H), s = (1 - 3G dgamma / q_tr) s_tr, eqps = eqps_n + dgamma, and the
! consistent tangent (their eq. 7.120) D = 2G(1 - 3G dgamma/q_tr) I_dev + 6G^2 (dgamma/q_tr - 1/(3G + H)) N x N + K 1x1.
! Stress holds tensor shear components, strain engineering ones (Abaqus and FemHost alike), so s:s counts each
! shear component twice and the deviatoric projector has 1/2 on the shear diagonal.
!
! PROPS: E, nu, sigma_y (initial uniaxial yield stress), H (hardening modulus, 0: perfectly plastic).
! STATEV(1) = eqps, the accumulated equivalent plastic strain. SSE = elastic strain energy p^2/(2K) + q^2/(6G),
! SPD += q_{n+1} dgamma (plastic dissipation). Plane strain (NTENS = 4) and 3D (6).
!
! femhost: props = E nu sigma_y H
! femhost: statev = eqps
subroutine umat(stress, statev, ddsdde, sse, spd, scd, rpl, ddsddt, drplde, drpldt, &
                stran, dstran, time, dtime, temp, dtemp, predef, dpred, cmname, ndi, nshr, ntens, &
                nstatv, props, nprops, coords, drot, pnewdt, celent, dfgrd0, dfgrd1, noel, npt, &
                layer, kspt, kstep, kinc)
  implicit none
  character(len=80), intent(in) :: cmname
  integer, intent(in) :: ndi, nshr, ntens, nstatv, nprops, noel, npt, layer, kspt, kstep, kinc
  double precision, intent(inout) :: stress(ntens), statev(nstatv), sse, spd, scd, rpl, pnewdt
  double precision, intent(out) :: ddsdde(ntens, ntens)
  double precision, intent(inout) :: ddsddt(ntens), drplde(ntens), drpldt
  double precision, intent(in) :: stran(ntens), dstran(ntens), time(2), dtime, temp, dtemp, predef(1), dpred(1)
  double precision, intent(in) :: props(nprops), coords(3), drot(3, 3), celent, dfgrd0(3, 3), dfgrd1(3, 3)

  double precision :: e, nu, k, g, h, sigy, eqps_old, pressure, norm, ss, qtrial, yield, f
  double precision :: dgamma, shrink, beta, g2, dev, vol, sum, de(6, 6), dev_s(6), old(6)
  integer :: i, j

  e = props(1)
  nu = props(2)
  sigy = props(3)
  h = props(4)
  k = e / (3.0d0 * (1.0d0 - 2.0d0 * nu))
  g = e / (2.0d0 * (1.0d0 + nu))
  eqps_old = statev(1)

  ! Elastic predictor sigma_tr = sigma_n + D_e dstran.
  call elastic(k, g, ntens, de)
  old(1:ntens) = stress
  do i = 1, ntens
    sum = 0.0d0
    do j = 1, ntens
      sum = sum + de(i, j) * dstran(j)
    end do
    stress(i) = sum + old(i)
  end do

  pressure = (stress(1) + stress(2) + stress(3)) / 3.0d0
  ss = 0.0d0
  do i = 1, ntens
    if (i <= 3) then
      dev_s(i) = stress(i) - pressure
      ss = ss + 1.0d0 * dev_s(i) * dev_s(i)
    else
      dev_s(i) = stress(i)
      ss = ss + 2.0d0 * dev_s(i) * dev_s(i)
    end if
  end do
  norm = sqrt(ss)
  qtrial = sqrt(1.5d0) * norm
  yield = sigy + h * eqps_old
  f = qtrial - yield

  ! Elastic step (a relative tolerance keeps round-off at the yield surface elastic).
  if (f <= 1.0d-12 * sigy) then
    statev(1) = eqps_old
    ddsdde = de(1:ntens, 1:ntens)
    sse = pressure * pressure / (2.0d0 * k) + qtrial * qtrial / (6.0d0 * g)
    return
  end if

  ! Plastic corrector: radial return to the updated yield surface.
  dgamma = f / (3.0d0 * g + h)
  shrink = 1.0d0 - 3.0d0 * g * dgamma / qtrial
  do i = 1, 3
    stress(i) = pressure + shrink * dev_s(i)
  end do
  do i = 4, ntens
    stress(i) = shrink * dev_s(i)
  end do
  statev(1) = eqps_old + dgamma

  ! Consistent tangent.
  beta = 6.0d0 * g * g * (dgamma / qtrial - 1.0d0 / (3.0d0 * g + h))
  g2 = 2.0d0 * g * shrink
  do j = 1, ntens
    do i = 1, ntens
      if (i <= 3 .and. j <= 3) then
        dev = merge(1.0d0, 0.0d0, i == j) - 1.0d0 / 3.0d0
        vol = k
      else
        dev = merge(0.5d0, 0.0d0, i == j)
        vol = 0.0d0
      end if
      ddsdde(i, j) = g2 * dev + vol + beta * dev_s(i) * dev_s(j) / (norm * norm)
    end do
  end do

  sse = pressure * pressure / (2.0d0 * k) + (shrink * qtrial)**2 / (6.0d0 * g)
  spd = spd + shrink * qtrial * dgamma

contains

  ! D_e = K 1x1 + 2G (I - 1/3 1x1) in Voigt form with engineering shear (the SDK's Elasticity.Isotropic).
  subroutine elastic(k, g, n, d)
    double precision, intent(in) :: k, g
    integer, intent(in) :: n
    double precision, intent(out) :: d(6, 6)
    double precision :: lambda
    integer :: a, b
    d = 0.0d0
    lambda = k - 2.0d0 / 3.0d0 * g
    do b = 1, 3
      do a = 1, 3
        d(a, b) = lambda
      end do
      d(b, b) = lambda + 2.0d0 * g
    end do
    do a = 4, n
      d(a, a) = g
    end do
  end subroutine elastic
end subroutine umat
