! Test source calling an Abaqus utility FemHost does not provide (SPRINC, principal values).
subroutine umat(stress, statev, ddsdde, sse, spd, scd, rpl, ddsddt, drplde, drpldt, &
                stran, dstran, time, dtime, temp, dtemp, predef, dpred, cmname, ndi, nshr, ntens, &
                nstatv, props, nprops, coords, drot, pnewdt, celent, dfgrd0, dfgrd1, noel, npt, &
                layer, kspt, kstep, kinc)
  implicit none
  character(len=80) :: cmname
  integer :: ndi, nshr, ntens, nstatv, nprops, noel, npt, layer, kspt, kstep, kinc
  double precision :: stress(ntens), statev(*), ddsdde(ntens, ntens), sse, spd, scd, rpl, ddsddt(ntens), drplde(ntens)
  double precision :: drpldt, stran(ntens), dstran(ntens), time(2), dtime, temp, dtemp, predef(1), dpred(1)
  double precision :: props(*), coords(3), drot(3, 3), pnewdt, celent, dfgrd0(3, 3), dfgrd1(3, 3), ps(3)
  call sprinc(stress, ps, 1, ndi, nshr)
  ddsdde = 0.0d0
end subroutine umat
