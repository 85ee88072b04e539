! Isotropic linear elasticity as an Abaqus UMAT: the Fortran twin of FemHost's Elastic plug-in
! (plugins/Elastic), used to verify the Umat adapter (tests/UmatAdapter.Tests) and as a starting point.
!
!   sigma_{n+1} = sigma_n + D dstran,   D = lambda 1x1 + 2G I  (Voigt, engineering shear: shear diagonal G)
!
! PROPS(1) = E (Young's modulus), PROPS(2) = nu (Poisson's ratio); no state variables. SSE is updated with the
! elastic strain energy per volume (trapezoidal, exact for a linear law). Plane strain (NTENS = 4) and 3D (6).
!
! femhost: props = E nu
! femhost: statev =
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

  double precision :: e, nu, k, g, lambda, s, old(6)
  integer :: i, j

  e = props(1)
  nu = props(2)
  k = e / (3.0d0 * (1.0d0 - 2.0d0 * nu))
  g = e / (2.0d0 * (1.0d0 + nu))
  lambda = k - 2.0d0 / 3.0d0 * g

  ddsdde = 0.0d0
  do j = 1, ndi
    do i = 1, ndi
      ddsdde(i, j) = lambda
    end do
    ddsdde(j, j) = lambda + 2.0d0 * g
  end do
  do i = ndi + 1, ntens
    ddsdde(i, i) = g
  end do

  old(1:ntens) = stress
  do i = 1, ntens
    s = 0.0d0
    do j = 1, ntens
      s = s + ddsdde(i, j) * dstran(j)
    end do
    stress(i) = s + old(i)
  end do

  do i = 1, ntens
    sse = sse + 0.5d0 * (old(i) + stress(i)) * dstran(i)
  end do
end subroutine umat
