! Test UMAT: isotropic elasticity (PROPS E, nu) that misbehaves on request, PROPS(3) = fault:
!   1 CALL XIT         2 STOP 'tired'       3 ERROR STOP 7     4 STDB_ABQERR, LOP = -2 (error)
!   5 STDB_ABQERR, LOP = -3 (terminate)     6 STDB_ABQERR, LOP = 1 (information), then a normal result
!   7 writes STATEV(NSTATV + 1)             8 leaves DDSDDE zero    9 returns NaN in STRESS(2)
!  10 PNEWDT = PROPS(4) when |DSTRAN| > PROPS(5), else elastic (a cut-back request)
!  11 NaN in STRESS(2) once |STRAN(2) + DSTRAN(2)| > PROPS(4) (fails from some load level on)
!   0 plain elasticity
! femhost: props = E nu fault a b
! femhost: statev = s1
subroutine umat(stress, statev, ddsdde, sse, spd, scd, rpl, ddsddt, drplde, drpldt, &
                stran, dstran, time, dtime, temp, dtemp, predef, dpred, cmname, ndi, nshr, ntens, &
                nstatv, props, nprops, coords, drot, pnewdt, celent, dfgrd0, dfgrd1, noel, npt, &
                layer, kspt, kstep, kinc)
  implicit none
  character(len=80), intent(in) :: cmname
  integer, intent(in) :: ndi, nshr, ntens, nstatv, nprops, noel, npt, layer, kspt, kstep, kinc
  double precision, intent(inout) :: stress(ntens), statev(*), sse, spd, scd, rpl, pnewdt
  double precision, intent(out) :: ddsdde(ntens, ntens)
  double precision, intent(inout) :: ddsddt(ntens), drplde(ntens), drpldt
  double precision, intent(in) :: stran(ntens), dstran(ntens), time(2), dtime, temp, dtemp, predef(1), dpred(1)
  double precision, intent(in) :: props(nprops), coords(3), drot(3, 3), celent, dfgrd0(3, 3), dfgrd1(3, 3)
  double precision :: e, nu, k, g, lambda, realv(1), nan
  integer :: i, j, fault, intv(1)
  character(len=8) :: charv(1)

  e = props(1)
  nu = props(2)
  fault = nint(props(3))
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
  stress = stress + matmul(ddsdde, dstran)
  nan = 0.0d0
  nan = nan / nan
  intv(1) = noel
  realv(1) = 2.5d0
  charv(1) = 'GRAVEL'

  select case (fault)
  case (1)
    call xit
  case (2)
    stop 'tired'
  case (3)
    error stop 7
  case (4)
    call stdb_abqerr(-2, 'point %I failed at %R in %S', intv, realv, charv)
  case (5)
    call stdb_abqerr(-3, 'cannot go on at point %I', intv, realv, charv)
  case (6)
    call stdb_abqerr(1, 'note from point %I: ratio %R, material %S', intv, realv, charv)
  case (7)
    statev(nstatv + 1) = 1.0d0
  case (8)
    ddsdde = 0.0d0
  case (9)
    stress(2) = nan
  case (10)
    if (maxval(abs(dstran)) > props(5)) pnewdt = props(4)
  case (11)
    if (abs(stran(2) + dstran(2)) > props(4)) stress(2) = nan
  end select
end subroutine umat
